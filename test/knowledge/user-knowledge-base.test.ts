import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.js';
import {
  KnowledgeBaseError,
  knowledgeBase,
  loadGroups,
  useKnowledgeBase,
} from '../../src/knowledge/groups.js';
import { openStore } from '../../src/store/index.js';
import { incidentsIn } from '../extract/cases.js';

const EXTRA = `# what an analyst adds
groups:
  - id: iskp
    add_aliases: [Daesh Wilayat Khorasan]
  - id: dignity-brigade
    name: Dignity Brigade
    aliases: [Liwa al-Karama]
    ideology: other
    home_countries: [SY]
    relations: [{ type: rival-of, group: islamic-state }]
`;

const BROKEN = `[
  {"id": "dignity-brigade", "name": "Dignity Brigade", "ideology": "peaceful", "home_countries": ["Syria"]},
  {"id": "fmln", "aliases": "FMLN", "colour": "red"},
  {"name": "no id"},
  {"id": "orphans", "name": "Orphans", "ideology": "other", "home_countries": ["SY"], "parent": "nobody"}
]`;

const ARTICLE =
  'A bomb exploded at a market in Idlib on Monday, killing four people. Liwa al-Karama claimed responsibility.';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-kb-'));
  await writeFile(file('extra.yaml'), EXTRA);
  await writeFile(file('broken.json'), BROKEN);
  await writeFile(file('bad.yaml'), 'groups: [ {id: x\n');
  await writeFile(file('second.json'), JSON.stringify([{ id: 'dignity-brigade', home_countries: ['LB'] }]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  useKnowledgeBase([]);
  vi.restoreAllMocks();
});

const groupsIds = (text: string) =>
  incidentsIn(text).flatMap((i) => i.perpetratorGroups.map((g) => g.groupId));

describe('useKnowledgeBase', () => {
  it('adds groups and overrides shipped ones by id, for loadGroups and the extractor', () => {
    const shipped = knowledgeBase();
    expect(shipped.files).toEqual([]);
    expect(groupsIds(ARTICLE)).toEqual([]);

    const kb = useKnowledgeBase([file('extra.yaml')]);
    expect(kb.groups).toHaveLength(shipped.groups.length + 1);
    expect(loadGroups()).toBe(kb.groups);
    expect(kb.version).not.toBe(shipped.version);
    expect(kb.files).toEqual([{ path: file('extra.yaml'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const iskp = kb.groups.find((g) => g.id === 'iskp');
    expect(iskp?.aliases).toEqual(expect.arrayContaining(['ISIS-K', 'Daesh Wilayat Khorasan']));
    expect(iskp?.home_countries).toEqual(['AF']);
    expect(kb.groups.find((g) => g.id === 'dignity-brigade')).toMatchObject({
      parent: null,
      designations: [],
      media_arms: [],
    });

    expect(groupsIds(ARTICLE)).toEqual(['dignity-brigade']);
    expect(
      groupsIds('Gunmen killed six miners in Baghlan on Monday. Daesh Wilayat Khorasan claimed the attack.'),
    ).toEqual(['iskp']);

    // Later files override earlier ones; the version follows the content, not the files.
    const both = useKnowledgeBase([file('extra.yaml'), file('second.json')]);
    expect(both.groups.find((g) => g.id === 'dignity-brigade')?.home_countries).toEqual(['LB']);
    expect(useKnowledgeBase([file('extra.yaml')]).version).toBe(kb.version);
    expect(useKnowledgeBase([]).version).toBe(shipped.version);
    expect(groupsIds(ARTICLE)).toEqual([]);
  });

  it('refuses a file whole, naming the file, each entry and field, and changes nothing', () => {
    const before = loadGroups();
    let problems: readonly string[] = [];
    try {
      useKnowledgeBase([file('extra.yaml'), file('broken.json'), file('bad.yaml'), file('missing.yaml')]);
    } catch (error) {
      expect(error).toBeInstanceOf(KnowledgeBaseError);
      problems = (error as KnowledgeBaseError).problems;
    }
    const broken = file('broken.json');
    expect(problems[0]).toMatch(new RegExp(`^${broken}: entry 0 \\(id "dignity-brigade"\\): ideology: `));
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${broken}: entry 0 (id "dignity-brigade"): home_countries.0: `),
        `${broken}: entry 1 (id "fmln"): aliases: Invalid input: expected array, received string`,
        `${broken}: entry 1 (id "fmln"): Unrecognized key: "colour"`,
        `${broken}: entry 2: id: required, a slug such as "my-group"`,
        `${broken}: entry 3 (id "orphans"): parent: refers to unknown group "nobody"`,
        expect.stringMatching(new RegExp(`^${file('bad.yaml')}: not valid YAML: `)),
        `${file('missing.yaml')}: cannot read: no such file`,
      ]),
    );
    expect(loadGroups()).toBe(before);
  });

  it('asks a new group for what it must say', () => {
    expect(() => useKnowledgeBase([file('second.json'), file('extra.yaml')])).toThrow(
      /second\.json: entry 0 \(id "dignity-brigade"\): name: required for a new group/,
    );
  });
});

describe('the knowledge base in the store', () => {
  it('is synced with its version stamp, and again only when it changed', async () => {
    const store = await openStore(file('stamp.db'));
    try {
      expect(await store.knowledgeBaseStamp()).toBeNull();
      expect((await store.stats()).knowledge_base).toBeNull();
      const shipped = knowledgeBase();
      expect((await store.syncKnowledgeBase(shipped)).changed).toBe(true);
      expect((await store.syncKnowledgeBase(shipped)).changed).toBe(false);
      const extra = useKnowledgeBase([file('extra.yaml')]);
      const { changed, stamp } = await store.syncKnowledgeBase(extra);
      expect(changed).toBe(true);
      expect(stamp).toMatchObject({
        version: extra.version,
        groups: shipped.groups.length + 1,
        files: extra.files,
      });
      expect((await store.stats()).knowledge_base).toEqual(stamp);
      expect((await store.listGroups()).find((g) => g.id === 'iskp')?.aliases).toContain(
        'Daesh Wilayat Khorasan',
      );
    } finally {
      await store.close();
    }
  });
});

describe('vigil --kb', () => {
  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    process.exitCode = undefined;
    try {
      const code = await run(['node', 'vigil', ...args]);
      return { code, stdout, stderr };
    } finally {
      process.exitCode = undefined;
      vi.restoreAllMocks();
    }
  };

  it('links with the user files and stamps the store; a bad file leaves the store as it was', async () => {
    const db = file('cli.db');
    await writeFile(file('article.txt'), `${ARTICLE}\n`);
    const ingest = await cli('--db', db, 'ingest', file('article.txt'), '--kb', file('extra.yaml'));
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    const incidents = await cli('--db', db, 'incidents', '--json');
    expect(incidents.stdout).toContain('"group_id":"dignity-brigade"');
    const stats = await cli('--db', db, 'stats');
    expect(stats.stdout).toMatch(
      /knowledge base {2}[0-9a-f]{12} \(361 groups; with .*extra\.yaml\), synced /,
    );
    const before = await cli('--db', db, 'stats', '--json');

    const refused = await cli('--db', db, 'ingest', file('article.txt'), '--kb', file('broken.json'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `error ${file('broken.json')}: entry 1 (id "fmln"): Unrecognized key: "colour"`,
    );
    expect(refused.stderr).toContain(`vigil: ${file('broken.json')}: knowledge base refused (`);
    expect((await cli('--db', db, 'stats', '--json')).stdout).toBe(before.stdout);

    const listed = await cli('--db', db, 'groups', '--kb', file('extra.yaml'));
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^knowledge base [0-9a-f]{12} \(361 groups; data\/groups\.json \+ .*extra\.yaml\)/,
    );
    expect(listed.stdout).toContain('dignity-brigade  Dignity Brigade  other  SY');

    // $VIGIL_KB when no --kb is given.
    vi.stubEnv('VIGIL_KB', file('extra.yaml'));
    try {
      const viaEnv = await cli('--db', db, 'extract', file('article.txt'), '--json');
      expect(viaEnv.stdout).toContain('"group_id":"dignity-brigade"');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
