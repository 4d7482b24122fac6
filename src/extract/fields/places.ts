import type { City } from '../../knowledge/places.js';
import { type AnnotatedSentence, covering, endingNear } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { readLexicon } from '../lexicon.js';
import type { NameEntry } from '../names.js';
import type { Match } from '../text/gazetteer.js';
import type { Field, PlaceValue } from '../types.js';

/** A place named where an attack is reported: "in Moscow", "the Moscow concert hall attack". */
interface PlaceMention {
  readonly match: Match<NameEntry>;
  readonly distance: number;
  readonly city: boolean;
}

/** How far (in tokens) a locative word may stand before a place ("in the capital, Kabul"). */
const LOCATIVE_WINDOW = 6;

const placeWords = readLexicon<{ fillers: string[]; regions: string[]; inside_names: string[] }>(
  'places.json',
);
const placeFillers = new Set(placeWords.fillers);
const regionWords = new Set(placeWords.regions);
const insideNameWords = new Set(placeWords.inside_names);
const SMALL_TOWN = 5000;
const LARGE_TOWN = 100_000;

function isPlace(e: NameEntry): boolean {
  return e.kind === 'city' || e.kind === 'country';
}

/** Places tied to an attack word in the sentence: after a locative word, or as a modifier right
 * before an attack or target word. Names that are also groups or demonyms are not places here. */
export function linkedPlaces(s: AnnotatedSentence, anchors: readonly number[]): PlaceMention[] {
  const locatives = s.context.filter((m) => m.entries.includes('locative'));
  const found: PlaceMention[] = [];
  for (const match of s.names) {
    if (!match.entries.some(isPlace) || match.entries.some((e) => e.kind === 'group' || e.kind === 'demonym'))
      continue;
    // "Borno state", "Nangarhar province": a region, not the town of that name.
    const after = s.sentence.tokens[match.to]?.norm ?? '';
    if (regionWords.has(after)) continue;
    // "San Antonio Abad street", "San Luis de la Reina": part of a longer name, not the town.
    if (insideNameWords.has(after)) continue;
    const afterLocative = locativeBefore(s, locatives, match.from);
    let next = match.to;
    if (s.sentence.tokens[next]?.norm === 's') next++;
    // Only a town modifies an attack or target word ("the Moscow concert hall attack"); a country
    // before one names an institution ("the USSR embassy"), not a place.
    const town = match.entries.some((e) => e.kind === 'city');
    const modifier =
      town &&
      !match.entries.some((e) => e.kind === 'country') &&
      (covering(s.triggers, next) !== undefined || covering(s.targets, next) !== undefined);
    if (!afterLocative && !modifier) continue;
    const distance = Math.min(...anchors.map((a) => Math.abs(a - match.from)));
    // A country beats its namesake towns ("El Salvador", "Colombia").
    const country = match.entries.some((e) => e.kind === 'country');
    found.push({ match, distance, city: !country && match.entries.some((e) => e.kind === 'city') });
  }
  return found;
}

/** A locative word before the place, with only place words between ("in the northwestern city of"). */
function locativeBefore(s: AnnotatedSentence, locatives: readonly Match<unknown>[], at: number): boolean {
  const locative = endingNear(locatives, at, LOCATIVE_WINDOW);
  if (!locative) return false;
  return s.sentence.tokens.slice(locative.to, at).every((t) => placeFillers.has(t.norm));
}

/** Picks the town among namesakes. A town in a country the article names wins, unless a namesake
 * elsewhere is a hundred times larger (Bogotá, not Bogota, New Jersey, in a story that names the US).
 * Outside the named countries only a large town or a capital counts: a small one of that name is
 * more often a street, a person or a town in another country. */
function chooseCity(entries: readonly NameEntry[], countriesNamed: ReadonlySet<string>): City | null {
  const largest = (pool: readonly City[]) =>
    pool.reduce<City | null>((best, c) => (!best || c.population > best.population ? c : best), null);
  const cities = entries.flatMap((e) => (e.kind === 'city' ? [e.city] : []));
  const named = largest(cities.filter((c) => countriesNamed.has(c.country)));
  const outside = largest(
    cities.filter(
      (c) =>
        !countriesNamed.has(c.country) &&
        (c.capital || c.population >= (countriesNamed.size > 0 ? LARGE_TOWN : SMALL_TOWN)),
    ),
  );
  if (named && outside && outside.population >= 100 * named.population) return outside;
  return named ?? outside;
}

/** The place of an incident from the mentions tied to its attack words: a town beats a country, then
 * the nearest to the attack word wins. */
export function choosePlace(
  documentId: string,
  text: string,
  candidates: readonly { s: AnnotatedSentence; mention: PlaceMention }[],
  countriesNamed: ReadonlySet<string>,
): Field<PlaceValue> | null {
  const ranked = [...candidates].sort(
    (a, b) => Number(b.mention.city) - Number(a.mention.city) || a.mention.distance - b.mention.distance,
  );
  for (const { s, mention } of ranked) {
    const evidence = [evidenceOf(documentId, text, s, mention.match.from, mention.match.to)];
    const city = mention.city ? chooseCity(mention.match.entries, countriesNamed) : null;
    if (city) {
      return {
        value: { city: city.name, country: city.country, lat: city.lat, lon: city.lon, precision: 'city' },
        evidence,
        inferred: false,
      };
    }
    const country = mention.match.entries.find((e) => e.kind === 'country');
    if (country?.kind === 'country') {
      return {
        value: { city: null, country: country.code, lat: null, lon: null, precision: 'country' },
        evidence,
        inferred: false,
      };
    }
  }
  return null;
}
