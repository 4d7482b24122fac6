import { readFileSync } from 'node:fs';
import { dataPath } from '../knowledge/data-path.js';
import { loadCities, loadCountries } from '../knowledge/places.js';
import type { Incident } from './incident.js';

/* What scoring needs to know of words and places beyond the two reports: the proper names of the site
 * a report says was attacked ("the Westgate mall", "Crocus City Hall", "Maelbeek metro station"), for
 * two reports naming the same target by its name tell of the same attack more surely than two that
 * share a common noun ("mosque", "airport"); attack types one attack is often reported as; and towns
 * named alike in several countries. The lists are data (data/resolve, data/lexicon). */

let vocabulary: { readonly generic: ReadonlySet<string>; readonly sites: ReadonlySet<string> } | undefined;

/** Lexicon phrases (data/lexicon/<file>) under the given keys, as single lower-case words. */
function lexiconWords(file: string, keys: readonly string[] | null): string[] {
  const data = JSON.parse(readFileSync(dataPath(`lexicon/${file}`), 'utf8')) as Record<string, unknown>;
  return Object.entries(data)
    .filter(([k, v]) => !k.startsWith('$') && Array.isArray(v) && (keys === null || keys.includes(k)))
    .flatMap(([, v]) => (v as string[]).flatMap(splitWords));
}

const splitWords = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}']+/u);

/** Words capitalised in names that do not tell one target from another (data/resolve/generic-names.json,
 * the target, place, title and organisation lexicons, every country name and demonym), and the
 * nouns that end the name of a site. */
function words(): NonNullable<typeof vocabulary> {
  if (vocabulary) return vocabulary;
  const listed = JSON.parse(readFileSync(dataPath('resolve/generic-names.json'), 'utf8')) as {
    words: string[];
    site_nouns: string[];
  };
  const countries = loadCountries().flatMap((c) => [...c.names, ...c.demonyms]);
  const generic = new Set(
    [
      ...listed.words,
      ...listed.site_nouns,
      ...lexiconWords('targets.json', null),
      ...lexiconWords('places.json', null),
      ...lexiconWords('people.json', ['titles', 'target_people', 'target_areas']),
      ...lexiconWords('organisations.json', ['heads', 'generic']),
      ...countries.flatMap(splitWords),
    ].filter((w) => w !== ''),
  );
  vocabulary = { generic, sites: new Set(listed.site_nouns) };
  return vocabulary;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const capitalised = (w: string) => /^\p{Lu}/u.test(w);
const keyOf = (w: string) => w.toLowerCase().replace(/['’]s$/u, '');
const names = new WeakMap<Incident, readonly string[]>();

/** Names of the attacked site in a report, lower case: words written with a capital in its target
 * text ("the Westgate mall"), or before a site noun in any sentence of its evidence ("a crowd on
 * Bourbon Street", "the Linwood Islamic Centre"), that are neither generic nor its own town. A
 * capital that only starts a sentence names nothing. */
export function siteNames(incident: Incident): readonly string[] {
  const known = names.get(incident);
  if (known) return known;
  const { generic, sites } = words();
  const town = new Set(splitWords(incident.city ?? ''));
  const found = new Set<string>();
  const keep = (word: string) => {
    const key = keyOf(word);
    if (key.length >= 3 && !generic.has(key) && !town.has(key)) found.add(key);
  };
  const sentences = new Set<string>();
  for (const e of incident.evidence) {
    sentences.add(e.sentence);
    if (e.field !== 'target_text') continue;
    const sentenceStart = e.sentence.trimStart().startsWith(e.text);
    for (const m of e.text.matchAll(WORD))
      if (capitalised(m[0]) && !(sentenceStart && m.index === 0)) keep(m[0]);
  }
  for (const sentence of sentences) {
    const tokens = [...sentence.matchAll(WORD)].map((m) => m[0]);
    // Each run of capitalised words, and the word after it: "Bourbon Street", "Westgate mall".
    for (let i = 0; i < tokens.length; i++) {
      if (!capitalised(tokens[i] as string)) continue;
      let j = i;
      while (j + 1 < tokens.length && capitalised(tokens[j + 1] as string)) j++;
      const run = tokens.slice(i, j + 1);
      const last = (run.at(-1) as string).toLowerCase();
      const next = tokens[j + 1]?.toLowerCase();
      const endsInSite = run.length > 1 && sites.has(last);
      if (endsInSite || (next !== undefined && sites.has(next) && !(i === 0 && run.length === 1)))
        for (const w of run) keep(w);
      i = j;
    }
  }
  const list = [...found].sort();
  names.set(incident, list);
  return list;
}

let compatibleTypes: ReadonlySet<string> | undefined;

/** Whether two different attack types are often given for one attack by different reports (a siege
 * reported as an armed assault): data/resolve/attack-types.json. */
export function attackTypesAgree(a: string, b: string): boolean {
  compatibleTypes ??= new Set(
    (
      JSON.parse(readFileSync(dataPath('resolve/attack-types.json'), 'utf8')) as {
        compatible: [string, string][];
      }
    ).compatible.flatMap(([x, y]) => [`${x} ${y}`, `${y} ${x}`]),
  );
  return compatibleTypes.has(`${a} ${b}`);
}

let namesakes: ReadonlyMap<string, ReadonlySet<string>> | undefined;
const NONE: ReadonlySet<string> = new Set();

/** The countries that have a town of this name in the gazetteer (GeoNames towns, notable places),
 * for a name that towns in several countries share; none for any other. Indexed once, namesakes only
 * (a small part of the gazetteer). */
export function countriesWithTown(name: string): ReadonlySet<string> {
  if (!namesakes) {
    const seen = new Map<string, string>();
    const shared = new Map<string, Set<string>>();
    for (const c of loadCities()) {
      const key = c.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, c.country);
      else if (first !== c.country || shared.has(key))
        shared.set(key, (shared.get(key) ?? new Set([first])).add(c.country));
    }
    namesakes = shared;
  }
  return namesakes.get(name.toLowerCase()) ?? NONE;
}

/** Whether the report names its country (a name or demonym of it in its evidence), rather than
 * taking it from its town alone. */
function namesCountry(incident: Incident): boolean {
  const country = loadCountries().find((c) => c.code === incident.country);
  if (!country) return false;
  const spellings = [...country.names, ...country.demonyms, ...country.caseSensitiveNames].map((n) =>
    n.toLowerCase(),
  );
  return incident.evidence.some((e) => {
    const sentence = ` ${e.sentence.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    return spellings.some((n) => sentence.includes(` ${n.replace(/[^\p{L}\p{N}]+/gu, ' ')} `));
  });
}

/** Whether two reports that place their attack in different countries name the same town, a town
 * of that name lying in both, and one of them never names its country: its country is only the
 * gazetteer's guess between namesakes (Solhan in Burkina Faso or in Turkey). */
export function namesakeTowns(a: Incident, b: Incident): boolean {
  if (a.city === null || b.city === null || a.city.toLowerCase() !== b.city.toLowerCase()) return false;
  if (a.country === null || b.country === null) return false;
  const both = countriesWithTown(a.city);
  if (!both.has(a.country) || !both.has(b.country)) return false;
  return !namesCountry(a) || !namesCountry(b);
}
