import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/resolve/index.js';
import { sqliteDatabases, vigil, vigilJson } from './helpers.js';

const ARTICLE =
  'A bomb exploded at a bank in Kabul on Monday, killing four guards. ' +
  'A group calling itself Wilayat Hind Brigade claimed responsibility.\n';
const DISCOVERED = 'discovered:wilayat-hind-brigade';

describe('vigil groups: discovered groups, merged and unmerged by an analyst', () => {
  const databases = sqliteDatabases();
  let db: string;
  const groupIds = async () =>
    (await vigilJson<IncidentJson[]>(['--db', db, 'incidents'])).flatMap((i) =>
      i.perpetrator_groups.map((g) => g.group_id),
    );

  beforeAll(async () => {
    db = await databases.fresh();
    const article = join(dirname(db), 'claim.txt');
    await writeFile(article, ARTICLE);
    const run = await vigil(['--db', db, 'ingest', article, '--published', '2024-05-14']);
    expect(run.stderr).toBe('');
  });
  afterAll(() => databases.cleanup());

  it('lists the new group with the names the sources used', async () => {
    const run = await vigil(['--db', db, 'groups', '--discovered']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${DISCOVERED}  "Wilayat Hind Brigade"  1 incident(s)  open`);
    const incidents = await vigil(['--db', db, 'incidents']);
    expect(incidents.stdout).toContain('Wilayat Hind Brigade (claimed, new group)');
  });

  it('refuses a merge without a reason, or into a group it does not know, and changes nothing', async () => {
    const noReason = await vigil(['--db', db, 'groups', 'merge', DISCOVERED, 'iskp', '--by', 'ana']);
    expect(noReason).toMatchObject({ code: 1, stderr: expect.stringContaining('--reason') });
    const unknown = await vigil([
      '--db',
      db,
      'groups',
      'merge',
      DISCOVERED,
      'nope',
      '--reason',
      'x',
      '--by',
      'ana',
    ]);
    expect(unknown).toMatchObject({ code: 1, stderr: 'vigil: unknown group nope (see `vigil groups`)\n' });
    expect(await groupIds()).toEqual([DISCOVERED]);
  });

  it('merges, shows the history with who and why, and unmerges', async () => {
    const merge = await vigil([
      '--db',
      db,
      'groups',
      'merge',
      DISCOVERED,
      'iskp',
      '--reason',
      'ISKP Indian branch name',
      '--by',
      'ana',
    ]);
    expect(merge).toMatchObject({ code: 0, stderr: '' });
    expect(await groupIds()).toEqual(['iskp']);
    const filtered = await vigilJson<IncidentJson[]>(['--db', db, 'incidents', '--group', 'iskp']);
    expect(filtered).toHaveLength(1);

    const unmerge = await vigil(['--db', db, 'groups', 'unmerge', DISCOVERED], {
      env: { VIGIL_USER: 'ben' },
    });
    expect(unmerge.code).toBe(0);
    expect(await groupIds()).toEqual([DISCOVERED]);

    const history = await vigil(['--db', db, 'groups', 'history', DISCOVERED]);
    expect(history.stdout).toMatch(
      /merged into iskp by ana: ISKP Indian branch name {2}\(undone .* by ben\)/,
    );
  });
});
