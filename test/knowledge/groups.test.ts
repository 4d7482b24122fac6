import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ArmedGroup, groupsFileSchema, loadGroups } from '../../src/knowledge/groups.js';

const GROUPS_FILE = fileURLToPath(new URL('../../data/groups.json', import.meta.url));
const SAMPLES_DIR = fileURLToPath(new URL('../fixtures/samples/', import.meta.url));
const FOUNDING_EXAMPLE = fileURLToPath(
  new URL('../../../shared/examples/moscow-concert-hall.expected.json', import.meta.url),
);

/**
 * Names that may legitimately belong to two groups, as `normalised name → ids`. Empty today: add an
 * entry only for a real shared name, and expect the linker to need context to tell the two apart.
 */
const SHARED_ALIAS_ALLOW_LIST: Readonly<Record<string, readonly string[]>> = {};

/** Case, diacritics and punctuation do not make two names different ("Ejército" = "ejercito"). */
function normalise(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-–—_'’.()/]+/g, ' ')
    .trim();
}

const groups = loadGroups();
const byId = new Map<string, ArmedGroup>(groups.map((g) => [g.id, g]));

function group(id: string): ArmedGroup {
  const g = byId.get(id);
  if (g === undefined) throw new Error(`no group ${id} in data/groups.json`);
  return g;
}

interface SampleExpectation {
  readonly file: string;
  readonly incidents: readonly { readonly perpetrator_groups: readonly { readonly group: string }[] }[];
}

function sampleExpectations(): readonly SampleExpectation[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${SAMPLES_DIR}${f}`, 'utf8')) as SampleExpectation);
}

describe('data/groups.json', () => {
  it('validates against the schema', () => {
    const result = groupsFileSchema.safeParse(JSON.parse(readFileSync(GROUPS_FILE, 'utf8')));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('holds at least 60 groups', () => {
    expect(groups.length).toBeGreaterThanOrEqual(60);
  });

  it('gives every group a distinct name', () => {
    const names = groups.map((g) => normalise(g.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('shares no name or alias between two groups unless allow-listed', () => {
    const owners = new Map<string, Set<string>>();
    for (const g of groups) {
      for (const name of [g.name, ...g.aliases]) {
        const key = normalise(name);
        owners.set(key, (owners.get(key) ?? new Set()).add(g.id));
      }
    }
    const shared = [...owners]
      .filter(([key, ids]) => ids.size > 1 && !sameIds(SHARED_ALIAS_ALLOW_LIST[key], ids))
      .map(([key, ids]) => `${key}: ${[...ids].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('refers only to known groups, never to itself', () => {
    const dangling: string[] = [];
    for (const g of groups) {
      for (const ref of [g.parent, ...g.relations.map((r) => r.group)]) {
        if (ref === null) continue;
        if (!byId.has(ref) || ref === g.id) dangling.push(`${g.id} → ${ref}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('lists each parent among the relations, and has no parent cycle', () => {
    for (const g of groups) {
      if (g.parent === null) continue;
      expect(
        g.relations.map((r) => r.group),
        g.id,
      ).toContain(g.parent);
      const seen = new Set<string>([g.id]);
      for (let p: string | null = g.parent; p !== null; p = group(p).parent) {
        expect(seen.has(p), `parent cycle through ${g.id}`).toBe(false);
        seen.add(p);
      }
    }
  });

  it('keeps active years in order', () => {
    const reversed = groups.filter(
      (g) => g.active_from !== null && g.active_to !== null && g.active_to < g.active_from,
    );
    expect(reversed.map((g) => g.id)).toEqual([]);
  });

  it('profiles ISKP as the founding example needs', () => {
    const iskp = group('iskp');
    expect(iskp.name).toBe('Islamic State Khorasan Province');
    expect(iskp.parent).toBe('islamic-state');
    expect(iskp.media_arms).toContain('al-Azaim');
    expect(iskp.home_countries).toEqual(['AF']);
    expect(iskp.aliases).toEqual(expect.arrayContaining(['ISKP', 'ISIS-K', 'IS-K', 'Wilayat Khorasan']));
    expect(iskp.relations).toEqual(
      expect.arrayContaining([
        { type: 'offshoot-of', group: 'islamic-state' },
        { type: 'rival-of', group: 'taliban' },
      ]),
    );
    expect(group('islamic-state').media_arms).toEqual(
      expect.arrayContaining(['Amaq', 'al-Hayat Media Center', 'al-Furqan']),
    );
  });

  it.skipIf(!existsSync(FOUNDING_EXAMPLE))('agrees with the knowledge block of the founding example', () => {
    const { knowledge } = JSON.parse(readFileSync(FOUNDING_EXAMPLE, 'utf8')) as {
      knowledge: {
        group: string;
        parent: string;
        home_countries: string[];
        adversaries: string[];
        media_arms: string[];
        recruitment_audiences: string[];
      };
    };
    const g = groups.find((x) => x.name === knowledge.group);
    expect(g).toBeDefined();
    if (g === undefined) return;
    expect(g.parent === null ? null : group(g.parent).name).toBe(knowledge.parent);
    expect(g.home_countries).toEqual(knowledge.home_countries);
    expect(g.adversaries).toEqual(expect.arrayContaining(knowledge.adversaries));
    expect(g.media_arms).toEqual(expect.arrayContaining(knowledge.media_arms));
    expect(g.recruitment_audiences ?? []).toEqual(expect.arrayContaining(knowledge.recruitment_audiences));
  });

  it('knows every group named in the sample expectations', () => {
    const samples = sampleExpectations();
    expect(samples.length).toBeGreaterThan(0);
    const names = new Set(groups.map((g) => g.name));
    const unknown = samples.flatMap((s) =>
      s.incidents.flatMap((i) =>
        i.perpetrator_groups.filter((p) => !names.has(p.group)).map((p) => `${s.file}: ${p.group}`),
      ),
    );
    expect(unknown).toEqual([]);
  });
});

function sameIds(allowed: readonly string[] | undefined, ids: ReadonlySet<string>): boolean {
  return allowed !== undefined && allowed.length === ids.size && allowed.every((id) => ids.has(id));
}
