import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN } from '../cli/helpers.js';

/* The dashboard in Debian's Chromium (playwright-core) against a real `vigil serve` on 127.0.0.1 over a
 * temporary SQLite database: an analyst of organisation alpha ingests an AMBER article through the
 * UI, finds it on the map, opens its evidence, filters and exports; a viewer of organisation beta
 * (not shared with) must not see it, neither in the page nor in any response the browser receives.
 * Screenshots of every page go to test-results/. Needs `npm run build` (server and web app). */

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const MARKER = 'Zorbulak';
const ARTICLE = `Gunmen stormed a police station in Mombasa, Kenya on Monday, killing six officers near the ${MARKER} market, police said. Al-Shabaab claimed responsibility for the attack.`;
const WEB_BUILT = existsSync(join(ROOT, 'dist', 'web', 'index.html'));
/** The built CLI; VIGIL_E2E_SOURCE=1 runs src/ through tsx instead (the web app must still be built). */
const CLI = process.env.VIGIL_E2E_SOURCE ? ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')] : [MAIN];

function vigil(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += String(c);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(CHROMIUM))('the dashboard in Chromium', () => {
  let dir: string;
  let db: string;
  let server: ChildProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  const keys: Record<'ana' | 'bev', string> = { ana: '', bev: '' };
  let incidentId = '';
  /** Every URL the browser asked for (all must be this server's). */
  const requested: string[] = [];

  beforeAll(async () => {
    if (!WEB_BUILT) throw new Error('dist/web is missing: run `npm run build` first');
    if (!process.env.VIGIL_E2E_SOURCE && !existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\``);
    dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    db = join(dir, 'vigil.db');
    mkdirSync(SHOTS, { recursive: true });
    const run = async (...args: string[]) => {
      const r = await vigil(['--db', db, ...args]);
      if (r.code !== 0) throw new Error(`vigil ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    await run('ingest', join(ROOT, 'samples', 'articles.jsonl'));
    await run('orgs', 'add', 'alpha');
    await run('orgs', 'add', 'beta');
    keys.ana = await run('keys', 'create', '--org', 'alpha', '--role', 'analyst', '--user', 'ana');
    keys.bev = await run('keys', 'create', '--org', 'beta', '--role', 'viewer', '--user', 'bev');
    server = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`vigil serve did not start: ${err}`)), 30_000);
      server.stderr?.on('data', (chunk: Buffer) => {
        err += String(chunk);
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      server.on('exit', (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 800 },
      acceptDownloads: true,
    });
    const p = await context.newPage();
    p.on('request', (r) => requested.push(r.url()));
    return p;
  }

  async function shot(name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function go(hash: string, heading: string) {
    await page.goto(`${base}/${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page
      .getByText(/^Loading/)
      .first()
      .waitFor({ state: 'detached' });
  }

  async function signIn(key: string) {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
  }

  it('signs in with an API key and shows the overview', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').waitFor();
    await shot('00-sign-in');
    await page.getByLabel('API key').fill('vgl_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not valid');
    await signIn(keys.ana);
    expect(await page.getByTestId('who').textContent()).toContain('alpha');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByTestId('count-incidents').waitFor();
    expect(Number(await page.getByTestId('count-incidents').textContent())).toBeGreaterThan(0);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('vigil.key')")).toBe(keys.ana);
    await shot('01-overview');
  });

  it('ingests an article through the UI and shows its incidents at once', async () => {
    await go('#/ingest', 'Ingest');
    await page.getByLabel('Marking').selectOption('amber');
    await page.getByLabel('Published (when the article does not say)').fill('2024-05-15');
    await page.getByLabel('Title').fill('Mombasa police station attack');
    await page.getByLabel('Article text').fill(ARTICLE);
    await page.getByRole('button', { name: 'Ingest text' }).click();
    const outcome = page.getByTestId('ingest-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('Stored');
    expect(await outcome.textContent()).toContain('TLP:AMBER');
    const link = outcome.locator('a[href^="#/incident/"]').first();
    incidentId = ((await link.getAttribute('href')) ?? '').replace('#/incident/', '');
    expect(incidentId).toMatch(/^[0-9a-f]{16}$/);
    expect(await outcome.textContent()).toMatch(/Mombasa, KE/);
    await shot('02-ingest');
  });

  it('finds it on the map and opens it', async () => {
    await go('#/map?country=KE', 'Map');
    const point = page.locator(`a.point[data-id="${incidentId}"]`);
    await point.waitFor();
    expect(await page.getByTestId('map-status').textContent()).toMatch(/\d+ incidents? on the map/);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await shot('03-map');
    await go('#/map', 'Map');
    await page.locator('a.point').first().waitFor();
    await shot('03-map-world');
    await go('#/map?country=KE', 'Map');
    await point.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Incident ${incidentId.slice(0, 8)}` }).waitFor();
  });

  it('shows every field with its evidence, highlighted in the article', async () => {
    await go(`#/incident/${incidentId}`, `Incident ${incidentId.slice(0, 8)}`);
    const killed = page.locator('tr[data-field="killed"]');
    expect(await killed.textContent()).toContain('6');
    expect(await killed.locator('q mark').first().textContent()).toMatch(/six/);
    const article = page.locator('.article-text').first();
    await article.waitFor();
    expect(await article.textContent()).toContain(MARKER);
    const marks = await article.locator('mark').allTextContents();
    expect(marks.some((m) => m.includes('Mombasa'))).toBe(true);
    await killed
      .getByRole('button', { name: /show in article/ })
      .first()
      .click();
    expect(await page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('MARK');
    expect(await page.locator('.lead').textContent()).toContain('TLP:AMBER');
    await page.getByRole('heading', { name: 'Sources and their figures over time' }).waitFor();
    await page.getByRole('heading', { name: 'Analyst decisions' }).waitFor();
    await shot('04-incident');
  });

  it('filters the incident table and searches the evidence', async () => {
    await go('#/incidents', 'Incidents');
    await page.getByLabel('Country').fill('KE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/country=KE/);
    await page.locator(`a[href="#/incident/${incidentId}"]`).waitFor();
    // The unfiltered rows may still be on screen until the filtered page arrives: wait for it. (Polled
    // from here: a string predicate would be evaluated in the page, which its CSP forbids.)
    await expect
      .poll(async () => {
        const cells = await page.locator('table.incidents tbody tr td:nth-child(3)').allTextContents();
        return cells.length > 0 && cells.every((c) => /KE$/.test(c));
      })
      .toBe(true);
    const countries = await page.locator('table.incidents tbody tr td:nth-child(3)').allTextContents();
    expect(countries.length).toBeGreaterThan(0);
    for (const c of countries) expect(c).toMatch(/KE$/);
    await go(`#/incidents?q=${MARKER}`, 'Incidents');
    await page.locator(`a[href="#/incident/${incidentId}"]`).waitFor();
    expect(await page.locator('table.incidents tbody tr').count()).toBe(1);
    await go('#/incidents', 'Incidents');
    await page.getByRole('button', { name: /Killed/ }).click();
    expect(
      await page.locator('th[aria-sort="descending"], th[aria-sort="ascending"]').textContent(),
    ).toContain('Killed');
    await shot('05-incidents');
  });

  it('exports the current filter as CSV (GTD columns), GeoJSON and STIX', async () => {
    await go(`#/incidents?country=KE&q=${MARKER}`, 'Incidents');
    const save = async (name: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name, exact: true }).click(),
      ]);
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return readFileSync(path, 'utf8');
    };
    const csv = await save('CSV');
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header).toMatch(/^eventid,iyear,imonth,iday,country_txt,city,latitude,longitude/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(incidentId);
    expect(rows[0]).toContain('Kenya');
    expect(rows[0]).toContain('amber');
    await page
      .getByTestId('export-status')
      .getByText(/1 incidents/)
      .waitFor();
    const geo = JSON.parse(await save('GeoJSON')) as {
      features: { id: string; geometry: { type: string } }[];
    };
    expect(geo.features.map((f) => f.id)).toEqual([incidentId]);
    expect(geo.features[0]?.geometry.type).toBe('Point');
    const stix = JSON.parse(await save('STIX')) as { type: string; objects: { type: string }[] };
    expect(stix.type).toBe('bundle');
    expect(stix.objects.some((o) => o.type === 'incident')).toBe(true);
  });

  it('shows the timeline, a group profile, the graph and the alerts', async () => {
    await go('#/timeline?by=group', 'Timeline');
    await page.getByText('Incidents per year').first().waitFor();
    // A chart: its value axis (grid lines and numbers) and its numbers as a table for screen readers.
    const chart = page.locator('figure.chart').first();
    expect(await chart.locator('svg line.grid').count()).toBeGreaterThan(0);
    expect(await chart.locator('svg text.axis').first().textContent()).toBe('0');
    expect(await chart.locator('details table tbody tr').count()).toBeGreaterThan(0);
    await shot('06-timeline');
    await go('#/group/iskp', 'Islamic State Khorasan Province');
    await page.getByRole('heading', { name: 'Threat level' }).waitFor();
    expect(await page.locator('dl.facts').textContent()).toContain('ISIS-K');
    await page.locator('.map svg path.country').first().waitFor();
    await shot('07-group');
    await go('#/graph', 'Graph');
    await page.locator('.graph canvas').first().waitFor();
    await shot('08-graph');
    await go('#/alerts', 'Alerts');
    await page.locator('li.alert').first().waitFor();
    await shot('09-alerts');
  });

  it('opens a brief on a group and downloads it as Markdown', async () => {
    await go('#/briefs', 'Briefs');
    await page.getByLabel('Group').fill('ISKP');
    await page.getByRole('button', { name: 'Open brief' }).click();
    const frame = page.frameLocator('iframe.brief');
    await frame
      .getByText(/Islamic State Khorasan Province/)
      .first()
      .waitFor();
    await shot('10-brief');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Markdown' }).click(),
    ]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    const md = readFileSync(path, 'utf8');
    expect(download.suggestedFilename()).toBe('vigil-brief-iskp.md');
    expect(md).toMatch(/\[\^1\]/);
  });

  it('never shows a viewer of another organisation the AMBER article', async () => {
    await page.context().close();
    page = await newPage();
    const bodies: Promise<{ url: string; body: string }>[] = [];
    page.on('response', (r) =>
      bodies.push(
        r.body().then(
          (b) => ({ url: r.url(), body: b.toString('utf8') }),
          () => ({ url: r.url(), body: '' }),
        ),
      ),
    );
    await signIn(keys.bev);
    expect(await page.getByTestId('who').textContent()).toContain('beta');
    const views: [string, string][] = [
      ['#/', 'Overview'],
      ['#/map', 'Map'],
      ['#/map?country=KE', 'Map'],
      ['#/incidents', 'Incidents'],
      [`#/incidents?q=${MARKER}`, 'Incidents'],
      ['#/timeline?by=country', 'Timeline'],
      ['#/alerts', 'Alerts'],
      ['#/graph?group=al-shabaab', 'Graph'],
      ['#/group/al-shabaab', 'al-Shabaab'],
    ];
    for (const [hash, heading] of views) {
      await go(hash, heading);
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text, hash).not.toContain(MARKER);
      expect(text, hash).not.toContain(incidentId.slice(0, 8));
    }
    await shot('10-viewer-overview-map');
    expect(await page.locator(`a.point[data-id="${incidentId}"]`).count()).toBe(0);
    await page.goto(`${base}/#/incident/${incidentId}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not found');
    await go('#/ingest', 'Ingest');
    expect(await page.locator('main').textContent()).toContain('needs an analyst');
    await shot('11-viewer-denied');
    const responses = await Promise.all(bodies);
    expect(responses.filter((r) => r.url.includes('/api/v1/')).length).toBeGreaterThan(10);
    for (const r of responses) {
      expect(r.body, r.url).not.toContain(MARKER);
      // Asked for by id, the incident is a 404 that names only the id asked for.
      if (r.url.includes(incidentId))
        expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'not_found' } });
      else expect(r.body, r.url).not.toContain(incidentId);
    }
  });

  it('signs in from the link `npm start` prints, and takes the key out of the address', async () => {
    await page.context().close();
    page = await newPage();
    await page.goto(`${base}/#key=${keys.ana}`);
    await page.getByTestId('who').waitFor();
    expect(page.url()).not.toContain('vgl_');
    expect(await page.getByTestId('who').textContent()).toContain('alpha');
    await page.getByTestId('count-incidents').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('vigil.key')")).toBeNull();
  });

  it('asked nothing of any other host (offline: no CDN, tiles or fonts)', () => {
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested)
      expect(url.startsWith(`${base}/`) || url.startsWith('blob:'), url).toBe(true);
  });
});
