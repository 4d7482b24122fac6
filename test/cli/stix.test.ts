import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/resolve/index.js';
import { checkBundle, type StixBundle } from '../../src/stix/index.js';
import { FOUNDING, OPENCTI_BUNDLE, SHARED_SCHEMAS, schemaValidators } from '../stix/helpers.js';
import { vigil as run } from './helpers.js';

// `vigil export stix` and `vigil import stix` on real SQLite files.

const vigil = (args: readonly string[], cwd: string) => run(args, { cwd });

async function json<T>(args: readonly string[], cwd: string): Promise<T> {
  const run = await vigil([...args, '--json'], cwd);
  if (run.code !== 0) throw new Error(`vigil ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface Stats {
  readonly documents: number;
  readonly incidents: number;
  readonly evidence: number;
}

/** What a round trip must keep: every field of `vigil incidents --json`. */
const fields = (incidents: readonly IncidentJson[]) => incidents;

// The tests only read `source` (one works on a copy of it), so they run concurrently.
describe.concurrent('vigil export stix / import stix on SQLite', { timeout: 120_000 }, () => {
  let dir: string;
  let source: string;
  let exported: string;
  let bundle: StixBundle;
  let original: IncidentJson[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-stix-'));
    source = join(dir, 'source.db');
    const ingest = await vigil(['--db', source, 'ingest', FOUNDING, '--published', '2024-03-25'], dir);
    expect(ingest.code, ingest.stderr).toBe(0);
    const run = await vigil(['--db', source, 'export', 'stix'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    exported = run.stdout;
    bundle = JSON.parse(exported) as StixBundle;
    original = await json<IncidentJson[]>(['--db', source, 'incidents'], dir);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([['export'], ['import'], ['export', 'stix'], ['import', 'stix']])(
    'vigil %s %s --help: a description, the options and an example',
    async (...command: string[]) => {
      const run = await vigil([...command.filter(Boolean), '--help'], dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: vigil ${command.filter(Boolean).join(' ')} `));
      expect(run.stdout.split('\n')[2]).toMatch(/^[A-Z].{10,}[^.]$/);
      expect(run.stdout).toMatch(/^Examples?:\n {2}\$ vigil .*(export|import) stix/m);
    },
  );

  it('exports the founding incident as a bundle whose every object validates', () => {
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'incident')).toHaveLength(1);
    expect(checkBundle(bundle).errors).toEqual([]);
    const shared = schemaValidators(SHARED_SCHEMAS);
    for (const object of bundle.objects) {
      const validate = shared.get(object.type);
      expect(validate?.(object), `${object.id}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
  });

  it('writes the same bytes to --out and on a second export', async () => {
    const out = join(dir, 'out.json');
    expect(await vigil(['--db', source, 'export', 'stix', '--out', out], dir)).toMatchObject({
      code: 0,
      stdout: '',
    });
    expect(await readFile(out, 'utf8')).toBe(exported);
  });

  it('applies filters and the TLP marking asked for', async () => {
    const none = JSON.parse((await vigil(['--db', source, 'export', 'stix', '--country', 'SY'], dir)).stdout);
    expect(none.objects.some((o: { type: string }) => o.type === 'incident')).toBe(false);
    const red = await vigil(['--db', source, 'export', 'stix', '--group', 'ISIS-K', '--tlp', 'red'], dir);
    const objects = (JSON.parse(red.stdout) as StixBundle).objects;
    expect(objects.find((o) => o.type === 'incident')?.object_marking_refs).toEqual([
      'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    ]);
    const bad = await vigil(['--db', source, 'export', 'stix', '--tlp', 'white'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("vigil: --tlp: 'white' is not a TLP 2.0 level");
  });

  it('imports the export into a fresh store with the same incident fields and evidence', async () => {
    const file = join(dir, 'bundle.json');
    await writeFile(file, exported);
    const fresh = join(dir, 'fresh.db');
    const run = await vigil(['--db', fresh, 'import', 'stix', file], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = original[0]?.id;
    expect(run.stdout).toBe(
      `stored ${id} Armed assault in Moscow, Russia on 2024-03-22\n1 stored, 0 already known\n`,
    );
    expect(fields(await json<IncidentJson[]>(['--db', fresh, 'incidents'], dir))).toEqual(fields(original));
    const before = await json<Stats>(['--db', fresh, 'stats'], dir);
    expect(before).toMatchObject({ documents: 1, incidents: 1, evidence: original[0]?.evidence.length });

    const again = await vigil(['--db', fresh, 'import', 'stix', file], dir);
    expect(again.stdout).toBe(
      `already known ${id} Armed assault in Moscow, Russia on 2024-03-22\n0 stored, 1 already known\n`,
    );
    expect(await json<Stats>(['--db', fresh, 'stats'], dir)).toEqual(before);
  });

  it('changes nothing when a store imports its own export', async () => {
    const own = join(dir, 'own.db');
    await copyFile(source, own);
    const before = await json<Stats>(['--db', own, 'stats'], dir);
    const file = join(dir, 'own.json');
    await writeFile(file, exported);
    const run = await vigil(['--db', own, 'import', 'stix', file], dir);
    expect(run.stdout).toMatch(/^already known /);
    expect(await json<Stats>(['--db', own, 'stats'], dir)).toEqual(before);
    expect(await json<IncidentJson[]>(['--db', own, 'incidents'], dir)).toEqual(original);
    expect((await vigil(['--db', own, 'export', 'stix'], dir)).stdout).toBe(exported);
  });

  it('refuses an invalid bundle with its errors and stores nothing', async () => {
    const broken = structuredClone(bundle) as unknown as { objects: Record<string, unknown>[] };
    const incident = broken.objects.find((o) => o.type === 'incident');
    const report = broken.objects.find((o) => o.type === 'report');
    if (incident === undefined || report === undefined) throw new Error('no incident or report');
    delete incident.name;
    report.object_refs = [];
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken));
    const db = join(dir, 'refused.db');
    const run = await vigil(['--db', db, 'import', 'stix', file], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error ${incident.id} /: must have required property 'name'\n`);
    expect(run.stderr).toContain(`error ${report.id} /object_refs: must NOT have fewer than 1 items\n`);
    expect(run.stderr).toContain(
      `vigil: ${file}: not a valid STIX 2.1 bundle (2 problems); nothing stored\n`,
    );
    expect(await json<Stats>(['--db', db, 'stats'], dir)).toMatchObject({ documents: 0, incidents: 0 });
  });

  it('says what is wrong with a file that is not JSON or not there', async () => {
    const file = join(dir, 'not.json');
    await writeFile(file, '{"type": "bundle",');
    expect(await vigil(['--db', join(dir, 'x.db'), 'import', 'stix', file], dir)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^vigil: .*not\.json: not JSON: /),
    });
    expect(
      await vigil(['--db', join(dir, 'x.db'), 'import', 'stix', join(dir, 'missing.json')], dir),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('missing.json: no such file'),
    });
  });

  it('imports an OpenCTI-style bundle with its quirks, once', async () => {
    const db = join(dir, 'opencti.db');
    const run = await vigil(['--db', db, 'import', 'stix', OPENCTI_BUNDLE], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^stored [0-9a-f]{16} Unverified report of an explosion\nstored [0-9a-f]{16} Crocus City Hall attack\n2 stored, 0 already known\n$/,
    );
    expect(run.stderr).toContain('/severity: top-level severity ignored');
    expect(run.stderr).toContain(
      'x-opencti-case-incident--1c5d9e3f-7a2b-4c8d-9e0f-a1b2c3d4e5f6 /type: custom object ignored',
    );
    expect(run.stderr).toContain('Unnamed Cell 7 is not in the knowledge base');
    const incidents = await json<IncidentJson[]>(['--db', db, 'incidents', '--group', 'ISKP'], dir);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ date: '2024-03-22', country: 'RU', city: 'Moscow', evidence: [] });
    expect(incidents[0]?.perpetrator_groups[0]).toMatchObject({ group_id: 'iskp', attribution: 'claimed' });
    const before = await json<Stats>(['--db', db, 'stats'], dir);
    const again = await vigil(['--db', db, 'import', 'stix', OPENCTI_BUNDLE, '--json'], dir);
    expect(JSON.parse(again.stdout)).toMatchObject({
      stored: [],
      known: [expect.any(String), expect.any(String)],
    });
    expect(await json<Stats>(['--db', db, 'stats'], dir)).toEqual(before);
    // What was imported exports again as a valid bundle.
    const out = await vigil(['--db', db, 'export', 'stix'], dir);
    expect(checkBundle(JSON.parse(out.stdout)).errors).toEqual([]);
  });
});
