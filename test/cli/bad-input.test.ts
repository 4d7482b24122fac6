import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatsJson, sqliteDatabases, stats, vigil } from './helpers.js';

// Every kind of bad input: exit 1, a message on stderr naming the input, and nothing stored from it.

const ARTICLE =
  'A car bomb exploded near a crowded market in Kabul on Saturday morning, killing five people and ' +
  'wounding at least twelve others, police officials said.';
const OTHER =
  'Gunmen attacked a police checkpoint in Peshawar on Monday, killing three officers, officials said.';

const databases = sqliteDatabases();
let dir: string;
let db: string;
let before: StatsJson;

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** A new database holding one article, and its counts. */
async function seeded(): Promise<{ db: string; before: StatsJson }> {
  const db = await databases.fresh();
  const run = await vigil([
    '--db',
    db,
    'ingest',
    await file('seed.txt', ARTICLE),
    '--published',
    '2024-05-04',
  ]);
  expect(run.code).toBe(0);
  return { db, before: await stats(db) };
}

beforeAll(async () => {
  dir = dirname(await databases.fresh());
  ({ db, before } = await seeded());
});

afterAll(() => databases.cleanup());

describe.concurrent('vigil ingest refuses bad input', () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['an empty file', () => file('empty.txt', ''), /empty file/],
    [
      'a binary file',
      () => file('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x1a])),
      /binary/,
    ],
    ['a missing path', async () => join(dir, 'missing.txt'), /does not exist/],
    [
      'HTML without an article body',
      () =>
        file(
          'index.html',
          '<html><head><title>Home</title></head><body><nav><a href="/">Home</a></nav></body></html>',
        ),
      /HTML with no article body/,
    ],
    [
      'a file over --max-bytes',
      () => file('long.txt', `${ARTICLE} `.repeat(20)),
      /too large: \d+ bytes, over the limit of 1024 bytes/,
    ],
  ];

  it.each(cases)('%s: exit 1, the input named, the database unchanged', async (_what, make, reason) => {
    const input = await make();
    const run = await vigil(['--db', db, 'ingest', input, '--max-bytes', '1KB']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error ${escapeRegExp(input)}: ${reason.source}.*\n$`));
    expect(run.stdout).toBe('0 stored, 0 already known, 1 refused\n');
    expect(await stats(db)).toEqual(before);
  });

  it('a malformed JSON Lines line: exit 1 naming its line, the other lines stored', async () => {
    const lines = [
      JSON.stringify({ text: OTHER, published: '2024-05-06', title: 'Checkpoint attack' }),
      '{"text": "unterminated',
      '',
      JSON.stringify({ title: 'no text' }),
    ];
    const input = await file('batch.jsonl', `${lines.join('\n')}\n`);
    const { db, before } = await seeded();
    const run = await vigil(['--db', db, 'ingest', input]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error ${escapeRegExp(input)}:2: invalid JSON`, 'm'));
    expect(run.stderr).toMatch(new RegExp(`^error ${escapeRegExp(input)}:4: text: missing$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^stored ${escapeRegExp(input)}:1 \\(\\d+ incidents?\\)$`, 'm'));
    expect(run.stdout).toMatch(/^1 stored, 0 already known, 2 refused$/m);
    expect((await stats(db)).documents).toBe(before.documents + 1);
  });

  it('ingests the good inputs given with a bad one, and still exits 1', async () => {
    const { db, before } = await seeded();
    const other = await file('other.txt', OTHER);
    const run = await vigil([
      '--db',
      db,
      'ingest',
      join(dir, 'nope.txt'),
      other,
      '--published',
      '2024-05-06',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 stored, 0 already known, 1 refused$/m);
    expect((await stats(db)).documents).toBe(before.documents + 1);
  });

  it('a malformed --published date: exit 1 before anything is read', async () => {
    const input = await file('fresh.txt', `${OTHER} Two more people died in hospital.`);
    for (const date of ['2024-13-01', '25/03/2024', 'yesterday']) {
      const run = await vigil(['--db', db, 'ingest', input, '--published', date]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `vigil: --published: '${date}' is not a date (YYYY-MM-DD)\n`,
      });
    }
    expect(await stats(db)).toEqual(before);
  });

  it('a bad --max-bytes: exit 1', async () => {
    const run = await vigil(['--db', db, 'ingest', join(dir, 'seed.txt'), '--max-bytes', 'lots']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^vigil: --max-bytes: 'lots' is not a size in bytes/);
  });

  it('a --max-heap too small for the gazetteer, or not a number: exit 1 before anything is read', async () => {
    for (const heap of ['32', 'big', '100.5']) {
      const run = await vigil(['--db', db, 'ingest', join(dir, 'seed.txt'), '--max-heap', heap]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `vigil: --max-heap: '${heap}' is not a heap size in MB (a whole number, at least 64)\n`,
      });
    }
  });
});

describe.concurrent('other bad input', () => {
  it('an unknown incident id: exit 1 naming it', async () => {
    const run = await vigil(['--db', db, 'incident', 'ffffffffffff']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'vigil: ffffffffffff: no incident with this id or id prefix\n',
    });
  });

  it('a prefix shorter than 4 characters: exit 1 saying why', async () => {
    const run = await vigil(['--db', db, 'incident', 'ab']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a prefix needs at least 4 characters');
  });

  it.each([
    [['--limit', '0'], "vigil: --limit: '0' is not a whole number of 1 or more"],
    [['--limit', 'ten'], "vigil: --limit: 'ten' is not a whole number of 1 or more"],
    [['--since', '2024-02-30'], "vigil: --since: '2024-02-30' is not a date (YYYY-MM-DD)"],
    [['--until', 'May'], "vigil: --until: 'May' is not a date (YYYY-MM-DD)"],
    [
      ['--since', '2024-06-01', '--until', '2024-01-01'],
      'vigil: --since: 2024-06-01 is after --until 2024-01-01',
    ],
    [['--country', 'Russia'], "vigil: --country: 'Russia' is not a two-letter country code (such as RU)"],
    [['--group', 'no such group'], "vigil: --group: unknown group 'no such group'"],
  ])('incidents %j: exit 1', async (args, message) => {
    const run = await vigil(['--db', db, 'incidents', ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message)).toBe(true);
  });

  it('an unknown command or option: exit 1', async () => {
    expect((await vigil(['--db', db, 'frobnicate'])).code).toBe(1);
    const run = await vigil(['--db', db, 'stats', '--verbose']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^vigil: unknown option '--verbose'/);
  });

  it('a database that cannot be opened: exit 2 naming it', async () => {
    const blocker = await file('not-a-folder', 'x');
    const sqlite = await vigil(['--db', join(blocker, 'vigil.db'), 'stats']);
    expect(sqlite.code).toBe(2);
    expect(sqlite.stderr).toMatch(
      new RegExp(`^vigil: ${escapeRegExp(join(blocker, 'vigil.db'))}: cannot open database`),
    );
    const postgres = await vigil(['--db', 'postgres://vigil:secret@127.0.0.1:1/vigil', 'stats']);
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toBe(
      'vigil: postgres://vigil:***@127.0.0.1:1/vigil: cannot open database: connection refused\n',
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
