import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import wordListPath from 'word-list';
import { type ArmedGroup, groupsFileSchema, loadGroups } from '../../src/knowledge/groups.js';

const GROUPS_FILE = fileURLToPath(new URL('../../data/groups.json', import.meta.url));
const SHORT_WORDS_FILE = fileURLToPath(new URL('../../data/lexicon/short-words.json', import.meta.url));
const SAMPLES_DIR = fileURLToPath(new URL('../fixtures/samples/', import.meta.url));
const FOUNDING_EXAMPLE = fileURLToPath(
  new URL('../../../shared/examples/moscow-concert-hall.expected.json', import.meta.url),
);

/**
 * Names that really belong to two groups, as `normalised name → ids`. The linker tells them apart by
 * the countries the article names, and leaves the name unlinked when that does not settle it. Add an
 * entry only for a name both groups really used; when a lesser-known group merely shares an
 * abbreviation, leave it off (Argentina's ERP is "PRT-ERP", Honduras's PRTC is "PRTC-H").
 */
const SHARED_ALIAS_ALLOW_LIST: Readonly<Record<string, readonly string[]>> = {
  // Colombia's ELN (1964-) and Bolivia's (1966-, Che Guevara's) both called themselves so.
  eln: ['eln', 'eln-bolivia'],
  'ejercito de liberacion nacional': ['eln', 'eln-bolivia'],
};

/**
 * Names that are also entries of the English word list, kept because the word is rare in news prose
 * and the name is how the group is reported, as `normalised name → reason`. The extractor links an
 * alias wherever it is written, in any case (short mixed-case or listed short words excepted, see
 * `exactForm` in src/extract/names.ts), so an ordinary word ("mend", "rim", "base") must not be one.
 */
const COMMON_WORD_ALLOW_LIST: Readonly<Record<string, string>> = {
  eta: 'the Greek letter; ETA is how the Basque group is reported',
  tak: 'obscure; TAK is how the Kurdistan Freedom Falcons are reported',
  contras: "the Nicaraguan Resistance; 'contras' is not otherwise English prose",
  farl: "a Scottish oatcake; FARL is the French abbreviation of Lebanon's LARF",
  simi: 'an African sword; SIMI is how the Indian movement is reported',
  biff: 'slang for a blow; BIFF is how the Bangsamoro Islamic Freedom Fighters are reported',
  gam: 'a school of whales; GAM is how the Free Aceh Movement is reported',
  arb: 'short for arbitrageur; ARB is how the Breton Revolutionary Army is reported',
};

/**
 * Latin American armed groups of the 1980s and 1990s as the press of the time named them, each with
 * the id it must resolve to.
 */
const LATIN_AMERICAN_NAMES: Readonly<Record<string, string>> = {
  FMLN: 'fmln',
  'Shining Path': 'shining-path',
  'Sendero Luminoso': 'shining-path',
  MRTA: 'mrta',
  'Movimiento Revolucionario Tupac Amaru': 'mrta',
  ELN: 'eln',
  'Ejército de Liberación Nacional': 'eln',
  FARC: 'farc',
  'M-19': 'm-19',
  EPL: 'epl',
  'Manuel Rodriguez Patriotic Front': 'fpmr',
  'Lautaro Youth Movement': 'lautaro',
  'Chilean MIR': 'mir-chile',
  'Ricardo Franco Front': 'ricardo-franco-front',
  'Alfaro Vive Carajo': 'alfaro-vive',
  PRTC: 'prtc-el-salvador',
  FARN: 'farn',
  FPL: 'fpl',
  ERP: 'erp-el-salvador',
  EGP: 'egp',
  ORPA: 'orpa',
  'Fuerzas Armadas Rebeldes': 'far-guatemala',
  URNG: 'urng',
  'Morazanist Patriotic Front': 'morazanist-front',
  Cinchoneros: 'cinchoneros',
  'Simon Bolivar Guerrilla Coordinating Board': 'cgsb',
  AUC: 'auc',
  'Los Extraditables': 'medellin-cartel',
  'Death to Kidnappers': 'muerte-a-secuestradores',
  'Maximiliano Hernandez Martinez Anti-Communist Brigade': 'maximiliano-hernandez-martinez-brigade',
  'Zarate Willka Armed Forces of Liberation': 'zarate-willka',
  'Nestor Paz Zamora Commission': 'cnpz',
  'Nicaraguan Democratic Force': 'fdn',
  Contras: 'nicaraguan-resistance',
  Montoneros: 'montoneros',
  Tupamaros: 'tupamaros',
};

const require = createRequire(import.meta.url);

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

  it('holds at least 300 groups', () => {
    expect(groups.length).toBeGreaterThanOrEqual(300);
  });

  it('covers every inhabited region and every kind of ideology', () => {
    const world = require('world-countries') as { cca2: string; region: string }[];
    const regionOf = new Map(world.map((c) => [c.cca2, c.region]));
    const perRegion = new Map<string, number>();
    for (const g of groups) {
      for (const region of new Set(g.home_countries.map((c) => regionOf.get(c)))) {
        expect(region, `${g.id}: unknown country code`).toBeDefined();
        perRegion.set(region ?? '', (perRegion.get(region ?? '') ?? 0) + 1);
      }
    }
    for (const region of ['Africa', 'Americas', 'Asia', 'Europe']) {
      expect(perRegion.get(region) ?? 0, region).toBeGreaterThanOrEqual(40);
    }
    const ideologies = new Set(groups.map((g) => g.ideology));
    expect([...ideologies].sort()).toEqual(
      ['ethno-nationalist', 'jihadist', 'left-wing', 'other', 'right-wing', 'separatist'].sort(),
    );
  });

  it('names the source of every designation', () => {
    const unsourced = groups.flatMap((g) =>
      g.designations.filter((d) => (d.source ?? '').trim() === '').map((d) => `${g.id}: ${d.by} ${d.list}`),
    );
    expect(unsourced).toEqual([]);
  });

  it('resolves the Latin American groups of the 1980s and 1990s by the names the press used', () => {
    // A shared name ("ELN") counts when the expected group is one of its owners; the linker picks by context.
    const owners = new Map<string, string[]>();
    for (const g of groups) {
      for (const name of [g.name, ...g.aliases]) {
        owners.set(normalise(name), [...(owners.get(normalise(name)) ?? []), g.id]);
      }
    }
    const resolved = Object.fromEntries(
      Object.entries(LATIN_AMERICAN_NAMES).map(([name, id]) => [
        name,
        owners.get(normalise(name))?.includes(id) ? id : owners.get(normalise(name)),
      ]),
    );
    expect(resolved).toEqual(LATIN_AMERICAN_NAMES);
  });

  it('has no alias that is an ordinary English word, unless allow-listed', () => {
    const words = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
    const shortWords = new Set(JSON.parse(readFileSync(SHORT_WORDS_FILE, 'utf8')) as string[]);
    // Read only as written (see exactForm): short words in the list, dotted or mixed-case short aliases.
    const exact = (alias: string) => {
      const plain = alias.replaceAll('.', '');
      return (
        plain.length <= 3 &&
        (shortWords.has(plain.toLowerCase()) ||
          alias.includes('.') ||
          (/\p{Lu}/u.test(plain) && /\p{Ll}/u.test(plain)))
      );
    };
    const common = groups.flatMap((g) =>
      [g.name, ...g.aliases]
        .filter((name) => !exact(name))
        .map((name) => normalise(name).replace(/^the /, ''))
        .filter((key) => !key.includes(' ') && words.has(key) && COMMON_WORD_ALLOW_LIST[key] === undefined)
        .map((key) => `${g.id}: ${key}`),
    );
    expect(common).toEqual([]);
  });

  it('keeps the allow-lists free of stale entries', () => {
    const keys = new Set(
      groups.flatMap((g) => [g.name, ...g.aliases].map((n) => normalise(n).replace(/^the /, ''))),
    );
    expect(Object.keys(COMMON_WORD_ALLOW_LIST).filter((k) => !keys.has(k))).toEqual([]);
    expect(Object.keys(SHARED_ALIAS_ALLOW_LIST).filter((k) => !keys.has(k))).toEqual([]);
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
