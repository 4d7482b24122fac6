import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil as run } from './helpers.js';

// `vigil history load`, `alerts`, `threat` and `graph` on a real SQLite file, run through the
// built CLI.

const FOUNDING = fileURLToPath(new URL('../../../shared/examples/moscow-concert-hall.txt', import.meta.url));

const vigil = (args: readonly string[], cwd: string) => run(args, { cwd });

describe('vigil history / alerts / threat / graph', { timeout: 180_000 }, () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]) => vigil(['--db', db, ...args], dir);
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await run(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-analysis-'));
    db = join(dir, 'vigil.db');
    const load = await run('history', 'load');
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/55 history incidents from incidents\.json .*: 55 stored, 0 already known/);
    const before = await run('threat', '--group', 'ISKP', '--json');
    expect(before.code, before.stderr).toBe(0);
    const ingest = await run('ingest', FOUNDING, '--published', '2024-03-25');
    expect(ingest.code, ingest.stderr).toBe(0);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loading the history twice stores it once, and the incidents say where they came from', async () => {
    const again = await json<{ stored: string[]; known: string[] }>('history', 'load');
    expect(again.stored).toEqual([]);
    expect(again.known).toHaveLength(55);
  });

  it('vigil alerts raises the first ISKP attack in Russia and in Eastern Europe', async () => {
    const alerts = await json<
      { kind: string; title: string; country: string; new: boolean; evidence: unknown[] }[]
    >('alerts', '--group', 'ISKP', '--country', 'RU');
    expect(alerts.map((a) => a.title)).toEqual(
      expect.arrayContaining([
        'First attack by Islamic State Khorasan Province in Russia',
        'First attack by Islamic State Khorasan Province in Eastern Europe',
      ]),
    );
    expect(alerts.every((a) => a.country === 'RU' && a.evidence.length > 0)).toBe(true);
    const text = await run('alerts', '--group', 'iskp', '--country', 'RU');
    expect(text.stdout).toContain('new_country');
    expect(text.stdout).toMatch(/\d+ alerts \(0 new\)/);
  });

  it('vigil threat shows ISKP severe with its components and the rise Moscow caused', async () => {
    const r = await json<{
      changes: { from: string; to: string; date: string; reason: string }[];
      assessment: { components: { name: string; contribution: number }[] };
    }>('threat', '--group', 'iskp', '--as-of', '2024-03-22');
    const last = r.changes[r.changes.length - 1];
    expect(last).toMatchObject({ from: 'substantial', to: 'severe', date: '2024-03-22' });
    expect(last?.reason).toContain('after incident');
    expect(r.assessment.components.map((c) => c.name)).toEqual([
      'tempo',
      'lethality',
      'reach',
      'trend',
      'attribution',
    ]);
    const text = await run('threat', '--country', 'RU');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Russia \(country RU\)/);
    const backtest = await json<{ rises: number; horizonDays: number }>(
      'threat',
      'backtest',
      '--horizon',
      '60',
    );
    expect(backtest.horizonDays).toBe(60);
    expect(backtest.rises).toBeGreaterThan(0);
  });

  it('keeps alerts and levels as incidents arrive; rebuild, --recompute and other parameters', async () => {
    // Stored levels (kept up to date by ingest) equal the levels recomputed at the same date.
    type Threat = { as_of: string; assessment: unknown; changes: { date: string; reason: string }[] };
    const stored = await json<Threat>('threat', '--group', 'iskp');
    const recomputed = await json<Threat>('threat', '--group', 'iskp', '--as-of', stored.as_of);
    expect(stored).toEqual(recomputed);
    expect(stored.changes.some((c) => c.reason.includes('lethality 209 → 348'))).toBe(true);
    const all = await json<{ groups: { subject: { id: string } }[] }>('threat');
    expect(all.groups.some((g) => g.subject.id === 'iskp')).toBe(true);
    expect(all).toEqual(await json('threat', '--as-of', stored.as_of));

    const before = await json<{ id: string; raised_at: string }[]>('alerts');
    const rebuilt = await json<{ rebuilt: boolean; raised: string[]; withdrawn: string[] }>(
      'analysis',
      'rebuild',
    );
    expect(rebuilt).toMatchObject({ rebuilt: true, raised: [], withdrawn: [] });
    const after = await json<{ id: string; raised_at: string }[]>('alerts', '--recompute');
    expect(after).toEqual(before);
    const update = await run('analysis', 'update');
    expect(update.stdout).toMatch(/updated for 0 incidents/);

    // Another threshold: computed on the spot, not stored.
    const high = await json<{ kind: string; raised_at: string | null }[]>('alerts', '--mass-casualty', '100');
    const mass = high.filter((a) => a.kind === 'mass_casualty');
    expect(mass.length).toBeGreaterThan(0);
    expect(mass.length).toBeLessThan(before.length);
    expect(high.every((a) => a.raised_at === null)).toBe(true);
    expect(await json<unknown[]>('alerts')).toEqual(before);
  });

  it('vigil graph links TJ → RU and exports GraphML', async () => {
    const g = await json<{ edges: { kind: string; source: string; target: string }[] }>(
      'graph',
      '--group',
      'ISKP',
    );
    expect(g.edges).toContainEqual(
      expect.objectContaining({ kind: 'attacker_nationality', source: 'country:TJ', target: 'country:RU' }),
    );
    const xml = await run('graph', '--format', 'graphml');
    expect(xml.stdout).toMatch(/^<\?xml/);
    expect((await run('graph', '--format', 'dot')).code).toBe(1);
  });

  it('every analysis command has --help with an example', async () => {
    for (const args of [
      ['alerts'],
      ['threat'],
      ['threat', 'backtest'],
      ['analysis', 'rebuild'],
      ['analysis', 'update'],
      ['graph'],
      ['history', 'load'],
    ]) {
      const help = await run(...args, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples?:\n {2}\$ vigil /);
    }
  });
});
