import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/server/exports.js';
import { ARTICLES } from '../server/fixtures.js';
import {
  type ArticleName,
  CLEARED,
  call,
  type PrincipalName,
  type Running,
  type Seeded,
  seed,
  startServer,
} from '../server/helpers.js';
import { testDialects } from '../store/databases.js';

/* The dashboard's endpoints count and return only what the caller may see: every response of every
 * principal is searched for the marker words and incident ids of the articles it is not cleared for. */

const READS = [
  '/api/v1/overview',
  '/api/v1/map',
  '/api/v1/timeline?by=group',
  '/api/v1/timeline?by=country&interval=month',
  '/api/v1/export/incidents.csv',
  '/api/v1/export/incidents.geojson',
  '/api/v1/alerts',
  '/api/v1/threat',
  '/api/v1/graph',
  '/api/v1/groups/taliban/profile',
  '/api/v1/groups/iskp/profile',
  '/api/v1/groups/al-shabaab/profile',
  '/api/v1/brief',
  '/api/v1/brief?format=md&country=SO',
  '/api/v1/brief?format=md&group=iskp',
];

describe.each(testDialects())('dashboard API on $kind', (dialect) => {
  let running: Running;
  let seeded: Seeded;
  const web = mkdtempSync(join(tmpdir(), 'vigil-web-'));

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Vigil</title><div id="root"></div>');
    writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'vigil-outside.txt'), 'secret');
    try {
      symlinkSync(join(tmpdir(), 'vigil-outside.txt'), join(web, 'assets', 'link.txt'));
    } catch {
      // no symlinks here: nothing to check
    }
    running = await startServer(dialect, { webRoot: web });
    seeded = await seed(running);
  });
  afterAll(async () => {
    await running?.close().catch(() => {});
    await dialect.cleanup();
    rmSync(web, { recursive: true, force: true });
  });

  const hidden = (who: PrincipalName) =>
    (Object.keys(ARTICLES) as ArticleName[]).filter((a) => !CLEARED[a].includes(who));

  it.each(['gammaAnalyst', 'betaViewer', 'alphaOrgKey'] as const)(
    'never shows %s what it is not cleared for',
    async (who) => {
      const secrets = hidden(who).flatMap((a) => [ARTICLES[a].marker, ...seeded.incidents[a]]);
      expect(secrets.length).toBeGreaterThan(0);
      for (const path of READS) {
        const reply = await call(running.url, 'GET', path, seeded.keys[who]);
        expect(reply.status, `${path}: ${reply.text}`).toBe(200);
        for (const secret of secrets) expect(reply.text, `${path} leaks ${secret}`).not.toContain(secret);
      }
      for (const a of hidden(who)) {
        for (const id of seeded.incidents[a]) {
          for (const path of [`/api/v1/incidents/${id}/reports`, `/api/v1/incidents/${id}`]) {
            const reply = await call(running.url, 'GET', path, seeded.keys[who]);
            expect(reply.status, path).toBe(404);
          }
        }
      }
    },
  );

  it('writes a brief as a self-contained page or as Markdown, footnoted to what the caller sees', async () => {
    const html = await call(running.url, 'GET', '/api/v1/brief?country=SO', seeded.keys.alphaAnalyst);
    expect(html.status, html.text).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.text).toContain('Somalia');
    const md = await call(running.url, 'GET', '/api/v1/brief?format=md&country=SO', seeded.keys.gammaAnalyst);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toMatch(/\[\^1\]/);
    const both = await call(
      running.url,
      'GET',
      '/api/v1/brief?country=SO&group=iskp',
      seeded.keys.gammaAnalyst,
    );
    expect(both.status).toBe(400);
  });

  it('counts in the overview only the incidents the caller sees', async () => {
    const count = async (who: PrincipalName) =>
      (
        await call<{ counts: { incidents: number } }>(
          running.url,
          'GET',
          '/api/v1/overview',
          seeded.keys[who],
        )
      ).body.counts.incidents;
    const seen = (who: PrincipalName) =>
      new Set(
        (Object.keys(ARTICLES) as ArticleName[])
          .filter((a) => CLEARED[a].includes(who))
          .flatMap((a) => seeded.incidents[a]),
      ).size;
    for (const who of ['alphaAnalyst', 'gammaAnalyst', 'betaViewer'] as const)
      expect(await count(who)).toBe(seen(who));
    expect(await count('gammaAnalyst')).toBeLessThan(await count('alphaAnalyst'));
  });

  it('puts incidents with coordinates on the map, capped, and says so', async () => {
    const all = await call<{ points: { id: string; lat: number }[]; capped: boolean }>(
      running.url,
      'GET',
      '/api/v1/map',
      seeded.keys.alphaAnalyst,
    );
    expect(all.body.points.length).toBeGreaterThan(2);
    expect(all.body.capped).toBe(false);
    const one = await call<{ points: unknown[]; capped: boolean; limit: number }>(
      running.url,
      'GET',
      '/api/v1/map?limit=1',
      seeded.keys.alphaAnalyst,
    );
    expect(one.body).toMatchObject({ capped: true, limit: 1 });
    expect(one.body.points).toHaveLength(1);
    const somalia = await call<{ points: { country: string }[] }>(
      running.url,
      'GET',
      '/api/v1/map?country=SO',
      seeded.keys.alphaAnalyst,
    );
    expect(somalia.body.points.map((p) => p.country)).toEqual(['SO']);
    expect(
      (await call(running.url, 'GET', '/api/v1/map?limit=100000', seeded.keys.alphaAnalyst)).status,
    ).toBe(400);
  });

  it('exports the filter as CSV with GTD columns and as GeoJSON', async () => {
    const csv = await call(
      running.url,
      'GET',
      '/api/v1/export/incidents.csv?country=SO',
      seeded.keys.alphaAnalyst,
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const [header, ...rows] = csv.text.trim().split('\r\n');
    expect(header?.split(',').slice(0, 8)).toEqual([
      'eventid',
      'iyear',
      'imonth',
      'iday',
      'country_txt',
      'city',
      'latitude',
      'longitude',
    ]);
    expect(header).toContain('attacktype1_txt');
    expect(header).toContain('nkill');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Somalia');
    expect(rows[0]).toContain('Bombing/Explosion');
    const geo = await call<{
      type: string;
      features: { geometry: { type: string } | null; properties: { tlp: string } }[];
    }>(running.url, 'GET', '/api/v1/export/incidents.geojson', seeded.keys.gammaAnalyst);
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features.length).toBeGreaterThan(0);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('gives an incident’s reports, and lets analysts only merge and split', async () => {
    const [a] = seeded.incidents.clear as [string];
    const [b] = seeded.incidents.green as [string];
    const reports = await call<{ reports: { document_id: string; tlp: string }[] }>(
      running.url,
      'GET',
      `/api/v1/incidents/${a}/reports`,
      seeded.keys.gammaAnalyst,
    );
    expect(reports.status).toBe(200);
    expect(reports.body.reports.map((r) => r.document_id)).toEqual([seeded.documents.clear]);
    // A second report of the Mogadishu bombing joins its incident; the analyst takes it out again.
    const second = await call<{ document_id: string; incidents: { id: string; sources: string[] }[] }>(
      running.url,
      'POST',
      '/api/v1/documents',
      seeded.keys.alphaAnalyst,
      {
        text: 'At least 12 people were killed on Tuesday when a car bomb exploded at a crowded market in Mogadishu, Somalia, police said. Al-Shabaab claimed the bombing.',
        published: '2024-05-12',
        tlp: 'clear',
      },
    );
    expect(second.status, second.text).toBe(201);
    const joined = second.body.incidents.find((i) => i.sources.length > 1);
    if (joined === undefined) return expect.fail(`not merged: ${second.text}`);
    const split = await call<{ incidents: [string, string] }>(
      running.url,
      'POST',
      `/api/v1/incidents/${joined.id}/split`,
      seeded.keys.alphaAnalyst,
      { document: second.body.document_id, reason: 'another bombing' },
    );
    expect(split.status, split.text).toBe(200);
    expect(new Set(split.body.incidents).size).toBe(2);
    const viewer = await call(running.url, 'POST', `/api/v1/incidents/${a}/merge`, seeded.keys.alphaViewer, {
      other: b,
      reason: 'test',
    });
    expect(viewer.status).toBe(403);
    // gamma cannot see the AMBER incident: merging with it is a 404, not a merge.
    const [amber] = seeded.incidents.amber as [string];
    const blind = await call(running.url, 'POST', `/api/v1/incidents/${a}/merge`, seeded.keys.gammaAnalyst, {
      other: amber,
      reason: 'test',
    });
    expect(blind.status).toBe(404);
    const merged = await call<{ merged: string }>(
      running.url,
      'POST',
      `/api/v1/incidents/${a}/merge`,
      seeded.keys.alphaAnalyst,
      { other: b, reason: 'the same attack, for the test' },
    );
    expect(merged.status, merged.text).toBe(200);
    const after = await call<{ sources: string[] }>(
      running.url,
      'GET',
      `/api/v1/incidents/${merged.body.merged}`,
      seeded.keys.alphaAnalyst,
    );
    expect(after.body.sources).toHaveLength(2);
  });

  it('refuses to fetch private addresses for URL ingest', async () => {
    const reply = await call<{ documents: unknown[]; errors: { reason: string }[] }>(
      running.url,
      'POST',
      '/api/v1/documents/fetch',
      seeded.keys.alphaAnalyst,
      { url: `${running.url}/healthz` },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.documents).toEqual([]);
    expect(reply.body.errors[0]?.reason).toMatch(/loopback/);
    expect(
      (
        await call(running.url, 'POST', '/api/v1/documents/fetch', seeded.keys.alphaViewer, {
          url: 'https://example.org/',
        })
      ).status,
    ).toBe(403);
  });

  it('serves the built dashboard at / with a strict CSP, and nothing outside it', async () => {
    const index = await call(running.url, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<div id="root">');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await call(running.url, 'GET', '/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of [
      '/assets/../index.html',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/link.txt',
      '/assets/missing.js',
    ]) {
      const reply = await call(running.url, 'GET', path);
      expect(reply.text, path).not.toContain('root:');
      expect(reply.text, path).not.toContain('secret');
      if (reply.status === 200) expect(reply.text).toContain('<div id="root">');
    }
    // The API still wants a key.
    expect((await call(running.url, 'GET', '/api/v1/overview')).status).toBe(401);
  });
});
