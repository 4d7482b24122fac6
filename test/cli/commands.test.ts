import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/resolve/index.js';
import { openStore } from '../../src/store/index.js';
import { FOUNDING, sqliteDatabases, stats, vigil, vigilJson } from './helpers.js';

const COMMANDS = ['extract', 'eval', 'ingest', 'incidents', 'incident', 'groups', 'stats', 'demo'];

describe.concurrent('--help', () => {
  it('lists every command', async () => {
    const run = await vigil(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain('--db <location>');
  });

  it.each(COMMANDS)('vigil %s --help: a description, the options and an example', async (command) => {
    for (const args of [
      [command, '--help'],
      ['help', command],
    ]) {
      const run = await vigil(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: vigil ${command} `));
      expect(run.stdout.split('\n')[2]).toMatch(/^[A-Z].{10,}[^.]$/);
      expect(run.stdout).toContain('--db <location>');
      expect(run.stdout).toMatch(new RegExp(`^Examples?:\\n  \\$ vigil .*${command}`, 'm'));
    }
  });

  it('prints the version', async () => {
    const run = await vigil(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});

describe('vigil demo and the commands that read', () => {
  const databases = sqliteDatabases();
  let db: string;
  let demo: Awaited<ReturnType<typeof vigil>>;
  let all: IncidentJson[];

  beforeAll(async () => {
    db = await databases.fresh();
    demo = await vigil(['demo', '--db', db]);
    all = await vigilJson<IncidentJson[]>(['--db', db, 'incidents']);
  });

  afterAll(() => databases.cleanup());

  it('ingests the eight bundled articles and prints the incident table', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('8 stored, 0 already known, 0 refused');
    expect(demo.stdout).toMatch(/^id +date +place +attack type +group \(attribution\) +killed +wounded$/m);
    expect(demo.stdout).toMatch(
      /^[0-9a-f]{8} +2024-03-22 +Moscow, RU +armed_assault +Islamic State Khorasan Province \(identified\) +139 /m,
    );
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it('changes nothing when run again', async () => {
    const before = await stats(db);
    const again = await vigil(['demo', '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 stored, 8 already known, 0 refused');
    expect(await stats(db)).toEqual(before);
  });

  it('bundles the founding article verbatim: ingesting it is "already known"', async () => {
    const run = await vigil(['--db', db, 'ingest', FOUNDING, '--published', '2024-03-25']);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(`already known ${FOUNDING}\n`) });
  });

  it('filters by country, group (id, name or alias), dates and limit', async () => {
    const ru = await vigilJson<IncidentJson[]>(['--db', db, 'incidents', '--country', 'ru']);
    expect(ru.map((i) => i.city)).toEqual(['Moscow']);
    for (const group of ['iskp', 'ISKP', 'Islamic State Khorasan Province']) {
      const iskp = await vigilJson<IncidentJson[]>(['--db', db, 'incidents', '--group', group]);
      expect(iskp.map((i) => i.id)).toContain(ru[0]?.id);
      for (const i of iskp) expect(i.perpetrator_groups.map((g) => g.group_id)).toContain('iskp');
    }
    const since = await vigilJson<IncidentJson[]>(['--db', db, 'incidents', '--since', '2017-01-01']);
    expect(since.length).toBeGreaterThan(0);
    expect(since).toEqual(all.filter((i) => i.date !== null && i.date >= '2017-01-01'));
    const window = await vigilJson<IncidentJson[]>([
      '--db',
      db,
      'incidents',
      '--since',
      '2016-01-01',
      '--until',
      '2017-12-31',
    ]);
    expect(window).toEqual(
      all.filter((i) => i.date !== null && i.date >= '2016-01-01' && i.date <= '2017-12-31'),
    );
    expect(await vigilJson(['--db', db, 'incidents', '--limit', '2'])).toEqual(all.slice(0, 2));
  });

  it('limits the table too, and says "No incidents." when none match', async () => {
    const table = await vigil(['--db', db, 'incidents', '--limit', '3']);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2 + 3);
    expect(await vigil(['--db', db, 'incidents', '--country', 'AQ'])).toEqual({
      code: 0,
      stdout: 'No incidents.\n',
      stderr: '',
    });
    expect(await vigilJson(['--db', db, 'incidents', '--country', 'AQ'])).toEqual([]);
  });
});

describe.concurrent('vigil ingest', () => {
  const databases = sqliteDatabases();
  afterAll(() => databases.cleanup());

  it('reads stdin with -, applying --published and --outlet', async () => {
    const db = await databases.fresh();
    const text = 'Gunmen stormed a hotel in Mogadishu on Friday, killing nine people, police said.';
    const run = await vigil(
      ['--db', db, 'ingest', '-', '--published', '2024-05-04', '--outlet', 'Example News', '--json'],
      {
        input: text,
      },
    );
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        status: 'stored',
        origin: 'stdin',
        document_id: expect.stringMatching(/^[0-9a-f]{64}$/),
        incidents: expect.any(Array),
        incident_ids: expect.any(Array),
        copy_of: null,
      },
    ]);
    const store = await openStore(db);
    try {
      expect(await store.getDocument(lines[0].document_id)).toMatchObject({
        origin: 'stdin',
        outlet: 'Example News',
        published: '2024-05-04',
      });
    } finally {
      await store.close();
    }
    const again = await vigil(['--db', db, 'ingest', '-', '--json'], { input: text });
    expect(JSON.parse(again.stdout)).toEqual({
      status: 'duplicate',
      origin: 'stdin',
      document_id: lines[0].document_id,
    });
  });

  it('uses VIGIL_DB when there is no --db, and ./vigil.db when neither is set', async () => {
    const db = await databases.fresh();
    const dir = join(db, '..');
    const fromEnv = await vigil(['stats', '--json'], { env: { VIGIL_DB: join(dir, 'env.db') } });
    expect(JSON.parse(fromEnv.stdout).database.location).toBe(join(dir, 'env.db'));
    const fromFlag = await vigil(['stats', '--db', join(dir, 'flag.db'), '--json'], {
      env: { VIGIL_DB: join(dir, 'env.db') },
    });
    expect(JSON.parse(fromFlag.stdout).database.location).toBe(join(dir, 'flag.db'));
    const byDefault = await vigil(['stats', '--json'], { cwd: dir });
    expect(JSON.parse(byDefault.stdout).database).toEqual({
      kind: 'sqlite',
      location: join(dir, 'vigil.db'),
    });
    expect(existsSync(join(dir, 'vigil.db'))).toBe(true);
  });
});
