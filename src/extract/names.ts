import { readFileSync } from 'node:fs';
import { dataPath } from '../knowledge/data-path.js';
import { loadGroups } from '../knowledge/groups.js';
import { type City, loadCities, loadCountries, loadRegions, type Region } from '../knowledge/places.js';
import { addRussianNames } from './russian.js';
import { Gazetteer } from './text/gazetteer.js';
import { phraseKey } from './text/tokens.js';

/** What a name in the text may be. One name can be several things ("Georgia"); callers choose. */
export type NameEntry =
  | { readonly kind: 'group'; readonly groupId: string; readonly exact: string | null }
  | { readonly kind: 'country'; readonly code: string; readonly exact: string | null }
  /** `nationality`: the name is already a nationality phrase (Russian "граждане Таджикистана"). */
  | { readonly kind: 'demonym'; readonly code: string; readonly nationality?: true }
  | { readonly kind: 'city'; readonly city: City; readonly needsCapital: boolean }
  /** A province, state or well-known region ("Bali", "Borno", "Sinai"): places an attack in a country. */
  | { readonly kind: 'region'; readonly region: Region };

const stripDots = (s: string) => s.replaceAll('.', '');

/* Built from the knowledge base in effect (`loadGroups()`) and rebuilt if another one is put in
 * effect (`useKnowledgeBase` in src/knowledge), so user files apply to the next extraction. */
let names: { readonly groups: readonly unknown[]; readonly gazetteer: Gazetteer<NameEntry> } | undefined;
let homes:
  | { readonly groups: readonly unknown[]; readonly byId: ReadonlyMap<string, readonly string[]> }
  | undefined;

/** A knowledge-base group's home countries (ISO codes). */
export function homeCountries(groupId: string): readonly string[] {
  const groups = loadGroups();
  if (homes?.groups !== groups)
    homes = { groups, byId: new Map(groups.map((g) => [g.id, g.home_countries])) };
  return homes.byId.get(groupId) ?? [];
}

/** Short aliases that are also ordinary words ("IS", "US"), or written in mixed case ("LeT", which
 * lower-cased is "let"), count only when written as listed. */
function exactForm(alias: string, commonWords: ReadonlySet<string>): string | null {
  const plain = stripDots(alias);
  const mixed = /\p{Lu}/u.test(plain) && /\p{Ll}/u.test(plain);
  return plain.length <= 3 && (commonWords.has(plain.toLowerCase()) || alias.includes('.') || mixed)
    ? plain
    : null;
}

/** One gazetteer for every proper name Vigil knows: armed groups, countries, demonyms and towns, so
 * that the longest name wins ("Islamic State Khorasan Province" over "Islamic State" and "Khorasan"). */
export function nameGazetteer(): Gazetteer<NameEntry> {
  const groups = loadGroups();
  if (names?.groups === groups) return names.gazetteer;
  const g = new Gazetteer<NameEntry>({ skipInside: ['(', ')', '/', '&'] });
  const shortWords = new Set(
    JSON.parse(readFileSync(dataPath('lexicon/short-words.json'), 'utf8')) as string[],
  );
  const commonWordTowns = new Set(
    JSON.parse(readFileSync(dataPath('places/common-word-names.json'), 'utf8')) as string[],
  );
  for (const group of groups) {
    for (const alias of new Set([group.name, ...group.aliases])) {
      g.add(phraseKey(alias), { kind: 'group', groupId: group.id, exact: exactForm(alias, shortWords) });
    }
  }
  for (const c of loadCountries()) {
    for (const n of c.names) g.add(phraseKey(n), { kind: 'country', code: c.code, exact: null });
    for (const n of c.caseSensitiveNames)
      g.add(phraseKey(n), { kind: 'country', code: c.code, exact: stripDots(n) });
    for (const d of c.demonyms) g.add(phraseKey(d), { kind: 'demonym', code: c.code });
  }
  const notPlaces = new Set(
    (JSON.parse(readFileSync(dataPath('places/not-places.json'), 'utf8')) as { names: string[] }).names,
  );
  for (const city of loadCities()) {
    const key = phraseKey(city.name);
    if (notPlaces.has(key) || shortWords.has(key)) continue;
    const needsCapital = commonWordTowns.has(key) && !city.capital && city.population < 1_000_000;
    g.add(phraseKey(city.name), { kind: 'city', city, needsCapital });
  }
  for (const region of loadRegions()) g.add(phraseKey(region.name), { kind: 'region', region });
  addRussianNames(g, groups, loadCities());
  names = { groups, gazetteer: g };
  return g;
}

/** Whether an entry may be taken for the text as written. `mixedCase` is false for all-upper or
 * all-lower copy, where capitals say nothing. */
export function acceptsForm(
  entry: NameEntry,
  written: string,
  mixedCase: boolean,
  sentenceStart = false,
): boolean {
  if ((entry.kind === 'group' || entry.kind === 'country') && entry.exact !== null) {
    return mixedCase && stripDots(written) === entry.exact;
  }
  // In text with meaningful capitals a town is written with one: "the entrance", "the hills" are words.
  if ((entry.kind === 'city' || entry.kind === 'region') && mixedCase && !/\p{Lu}/u.test(written))
    return false;
  // A capital that only starts the sentence says nothing.
  if (entry.kind === 'city' && entry.needsCapital)
    return mixedCase && !sentenceStart && /^\p{Lu}/u.test(written);
  return true;
}
