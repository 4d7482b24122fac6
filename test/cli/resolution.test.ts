import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/resolve/index.js';
import { sqliteDatabases, vigil, vigilJson } from './helpers.js';

const ARTICLES = [
  {
    source: 'Kabul Daily',
    published: '2017-05-31',
    text: 'A truck bomb exploded near the German embassy in Kabul on Wednesday morning, killing at least 40 people and wounding more than 300, officials said.',
  },
  {
    source: 'Asia Wire',
    published: '2017-06-01',
    text: 'The death toll from a truck bombing in Kabul rose to 90 on Thursday. The bomb went off on Wednesday in the diplomatic quarter near the German embassy, wounding 400 people.',
  },
  {
    source: 'Gulf Times',
    published: '2017-06-01',
    text: 'The death toll from a truck bombing in Kabul rose to 90 on Thursday. The bomb went off on Wednesday in the diplomatic quarter near the German embassy, wounding 400 people. (AFP)',
  },
];

describe('vigil incident and vigil incidents merge|split: many reports, one incident', () => {
  const databases = sqliteDatabases();
  let db: string;
  const incidents = () => vigilJson<IncidentJson[]>(['--db', db, 'incidents']);

  beforeAll(async () => {
    db = await databases.fresh();
    const file = join(dirname(db), 'reports.jsonl');
    await writeFile(file, `${ARTICLES.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const run = await vigil(['--db', db, 'ingest', file]);
    expect(run.stderr).toBe('');
  });
  afterAll(() => databases.cleanup());

  it('counts one incident and shows how its toll rose, source by source', async () => {
    const [bombing, ...rest] = await incidents();
    expect(rest).toEqual([]);
    expect(bombing?.sources).toHaveLength(3);
    const run = await vigil(['--db', db, 'incident', bombing?.id ?? '']);
    expect(run.stdout).toMatch(/Reports \(3\), oldest first:/);
    expect(run.stdout).toMatch(/2017-05-31 +Kabul Daily +at least 40 .* first report/);
    expect(run.stdout).toMatch(/2017-06-01 +Gulf Times +90 .* copy of [0-9a-f]{8}/);
    const json = await vigilJson<{ reports: { killed: { value: number } }[] }>([
      '--db',
      db,
      'incident',
      bombing?.id ?? '',
    ]);
    expect(json.reports.map((r) => r.killed.value)).toEqual([40, 90, 90]);
  });

  it('splits a source off and merges it back, refusing a decision without a reason', async () => {
    const [bombing] = await incidents();
    const id = bombing?.id ?? '';
    const source = bombing?.sources[1] ?? '';
    const noReason = await vigil(['--db', db, 'incidents', 'split', id, source.slice(0, 8), '--by', 'ana']);
    expect(noReason).toMatchObject({ code: 1, stderr: expect.stringContaining('--reason') });

    const split = await vigil([
      '--db',
      db,
      'incidents',
      'split',
      id,
      source.slice(0, 8),
      '--reason',
      'test',
      '--by',
      'ana',
    ]);
    expect(split).toMatchObject({ code: 0, stderr: '' });
    expect((await incidents()).length).toBe(2);

    const [a, b] = await incidents();
    const merge = await vigil([
      '--db',
      db,
      'incidents',
      'merge',
      a?.id ?? '',
      b?.id ?? '',
      '--reason',
      'same',
      '--by',
      'ana',
    ]);
    expect(merge).toMatchObject({ code: 0, stderr: '' });
    expect((await incidents()).length).toBe(1);
  });
});
