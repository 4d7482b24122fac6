import type { City } from '../../knowledge/places.js';
import { type AnnotatedSentence, covering, endingNear } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { readLexicon } from '../lexicon.js';
import type { NameEntry } from '../names.js';
import type { Match } from '../text/gazetteer.js';
import { phraseKey } from '../text/tokens.js';
import type { Field, PlaceValue } from '../types.js';

/** A place named where an attack is reported: "in Moscow", "the Moscow concert hall attack". */
interface PlaceMention {
  readonly match: Match<NameEntry>;
  readonly distance: number;
  readonly city: boolean;
}

/** How far (in tokens) a locative word may stand before a place ("in the capital, Kabul"). */
const LOCATIVE_WINDOW = 6;

const placeWords = readLexicon<{
  fillers: string[];
  regions: string[];
  inside_names: string[];
  place_nouns: string[];
  facilities: string[];
}>('places.json');
const placeFillers = new Set(placeWords.fillers);
const regionWords = new Set(placeWords.regions);
const insideNameWords = new Set(placeWords.inside_names);
/** Buildings in a longer name that stand in the town the name starts with ("Garissa University"). */
const facilityWords = new Set(placeWords.facilities);
/** Words after a nationality that make it a place ("the Afghan city of", "the Iraqi capital"). */
const PLACE_NOUNS = new Set(placeWords.place_nouns);
const SMALL_TOWN = 5000;
const LARGE_TOWN = 100_000;

function isPlace(e: NameEntry): boolean {
  return e.kind === 'city' || e.kind === 'country' || e.kind === 'region';
}

/** The country of a region named in the text: its own, or for a region across borders ("Kashmir")
 * the one of its countries the article names, if exactly one. */
export function regionCountry(
  entries: readonly NameEntry[],
  countriesNamed: ReadonlySet<string>,
): string | null {
  for (const e of entries) {
    if (e.kind !== 'region') continue;
    const [only] = e.region.countries;
    if (e.region.countries.length === 1 && only) return only;
    const named = e.region.countries.filter((c) => countriesNamed.has(c));
    if (named.length === 1 && named[0]) return named[0];
  }
  return null;
}

/** Whether a name that is both a town and a region is the town here: when the town lies in the
 * region's country ("Kandahar", "Kano"), or in a country the article names while the region's does
 * not. A region word after it ("Kano state") makes it the region in any case (see linkedPlaces). */
function townBeforeRegion(
  city: City,
  entries: readonly NameEntry[],
  countriesNamed: ReadonlySet<string>,
): boolean {
  const regions = entries.flatMap((e) => (e.kind === 'region' ? [e.region] : []));
  if (regions.length === 0) return true;
  if (regions.some((r) => r.countries.includes(city.country))) return true;
  return (
    countriesNamed.has(city.country) && !regions.some((r) => r.countries.some((c) => countriesNamed.has(c)))
  );
}

/** Places tied to an attack word in the sentence: after a locative word, or as a modifier right
 * before an attack or target word. Names that are also groups or demonyms are not places here. */
export function linkedPlaces(s: AnnotatedSentence, anchors: readonly number[]): PlaceMention[] {
  const locatives = s.context.filter((m) => m.entries.includes('locative'));
  const motives = s.context.filter((m) => m.entries.includes('motive'));
  const found: PlaceMention[] = [];
  for (const match of s.names) {
    const nearest = anchors.reduce<number | null>(
      (best, a) => (best === null || Math.abs(a - match.from) < Math.abs(best - match.from) ? a : best),
      null,
    );
    // "because Kenyan troops were fighting in Somalia", "a refugee from Afghanistan": a motive or an
    // origin, not the place of the attack.
    if (isMotive(s, motives, match.from, nearest)) continue;
    const demonymPlace = regionOfDemonym(s, locatives, match);
    if (demonymPlace) {
      found.push(demonymPlace(nearest));
      continue;
    }
    if (!match.entries.some(isPlace) || match.entries.some((e) => e.kind === 'group' || e.kind === 'demonym'))
      continue;
    // "Borno state", "Nangarhar province": a region, not the town of that name; a region the data
    // knows places the attack in its country (when a locative ties it to the attack).
    const after = s.sentence.tokens[match.to]?.norm ?? '';
    if (regionWords.has(after)) {
      const regionOnly = match.entries.filter((e) => e.kind === 'region');
      if (regionOnly.length > 0 && locativeBefore(s, locatives, match.from))
        found.push({
          match: { ...match, entries: regionOnly },
          distance: nearest === null ? Number.POSITIVE_INFINITY : Math.abs(nearest - match.from),
          city: false,
        });
      continue;
    }
    // "San Antonio Abad street", "San Luis de la Reina": part of a longer name, not the town. A
    // building named after its town and reached by a locative ("at Garissa University College", "in
    // the Kabul Serena Hotel") stands in that town.
    const facility =
      s.mixedCase &&
      facilityWords.has(after) &&
      match.entries.some((e) => e.kind === 'city') &&
      locativeBefore(s, locatives, match.from);
    if (insideNameWords.has(after) && !facility) continue;
    // "Market Street", "New Kabul Bank": after a capitalised word the name goes on from an earlier one.
    const before = s.sentence.tokens[match.from - 1];
    const continues =
      s.mixedCase &&
      before?.kind === 'word' &&
      /^\p{Lu}/u.test(before.text) &&
      covering(s.names, match.from - 1) === undefined &&
      !match.entries.some((e) => e.kind === 'country');
    if (
      continues &&
      insideNameWords.has(
        phraseKey(
          s.sentence.tokens
            .slice(match.from, match.to)
            .map((t) => t.norm)
            .join(' '),
        ),
      )
    )
      continue;
    const afterLocative = locativeBefore(s, locatives, match.from);
    let next = match.to;
    if (s.sentence.tokens[next]?.norm === 's') next++;
    // Only a town modifies an attack or target word ("the Moscow concert hall attack"); a country
    // before one names an institution ("the USSR embassy"), not a place.
    const town = match.entries.some((e) => e.kind === 'city' || e.kind === 'region');
    const modifier =
      town &&
      !continues &&
      !match.entries.some((e) => e.kind === 'country') &&
      (covering(s.triggers, next) !== undefined || covering(s.targets, next) !== undefined);
    if (!afterLocative && !modifier) continue;
    const distance = nearest === null ? Number.POSITIVE_INFINITY : Math.abs(nearest - match.from);
    // A country beats its namesake towns ("El Salvador", "Colombia").
    const country = match.entries.some((e) => e.kind === 'country');
    found.push({ match, distance, city: !country && match.entries.some((e) => e.kind === 'city') });
  }
  return found;
}

/** Whether tokens [from, to) are all place words or nationalities ("the central Afghan city of"). */
function onlyPlaceWords(s: AnnotatedSentence, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (placeFillers.has(s.sentence.tokens[i]?.norm ?? '')) continue;
    const name = covering(s.names, i);
    if (name?.entries.some((e) => e.kind === 'demonym')) continue;
    return false;
  }
  return true;
}

/** A locative word before the place, with only place words between ("in the northwestern city of",
 * "in the Iranian city of"). */
function locativeBefore(s: AnnotatedSentence, locatives: readonly Match<unknown>[], at: number): boolean {
  const locative = endingNear(locatives, at, LOCATIVE_WINDOW);
  if (!locative) return false;
  return onlyPlaceWords(s, locative.to, at);
}

/** A motive or origin cue right before a place ("fighting in Somalia", "a refugee from Afghanistan"),
 * or anywhere between the attack word and a place after it ("attacked because of its ties to the
 * government in Afghanistan"). */
function isMotive(
  s: AnnotatedSentence,
  motives: readonly Match<unknown>[],
  at: number,
  anchor: number | null,
): boolean {
  const cue = endingNear(motives, at, LOCATIVE_WINDOW);
  if (cue && onlyPlaceWords(s, cue.to, at)) return true;
  if (anchor === null || anchor >= at) return false;
  return motives.some((m) => m.from > anchor && m.to <= at);
}

/** "in the central Afghan city of Bamiyan": after a locative, a nationality followed by a place word
 * places the attack in that country, even when the town itself is not in the gazetteer. Ranked as a
 * country. */
function regionOfDemonym(
  s: AnnotatedSentence,
  locatives: readonly Match<unknown>[],
  match: Match<NameEntry>,
): ((nearest: number | null) => PlaceMention) | null {
  const demonym = match.entries.find((e) => e.kind === 'demonym');
  if (demonym?.kind !== 'demonym' || demonym.nationality) return null;
  if (match.entries.some((e) => e.kind === 'group')) return null;
  if (!locativeBefore(s, locatives, match.from)) return null;
  const next = s.sentence.tokens[match.to];
  if (!next) return null;
  // Only before a place word: "the French Quarter" is a district, not France.
  if (!PLACE_NOUNS.has(next.norm)) return null;
  const country: NameEntry = { kind: 'country', code: demonym.code, exact: null };
  return (nearest) => ({
    match: { ...match, entries: [country] },
    distance: nearest === null ? Number.POSITIVE_INFINITY : Math.abs(nearest - match.from),
    city: false,
  });
}

/** Picks the town among namesakes. A town in a country the article names wins, unless a namesake
 * elsewhere is a hundred times larger (Bogotá, not Bogota, New Jersey, in a story that names the US).
 * Outside the named countries only a large town, a capital or a notable place counts: a small one of
 * that name is more often a street, a person or a town in another country. */
function chooseCity(entries: readonly NameEntry[], countriesNamed: ReadonlySet<string>): City | null {
  const largest = (pool: readonly City[]) =>
    pool.reduce<City | null>((best, c) => (!best || c.population > best.population ? c : best), null);
  const cities = entries.flatMap((e) => (e.kind === 'city' ? [e.city] : []));
  const named = largest(cities.filter((c) => countriesNamed.has(c.country)));
  const outside = largest(
    cities.filter(
      (c) =>
        !countriesNamed.has(c.country) &&
        (c.capital || c.notable || c.population >= (countriesNamed.size > 0 ? LARGE_TOWN : SMALL_TOWN)),
    ),
  );
  if (named && !named.notable && outside && outside.population >= 100 * named.population) return outside;
  return named ?? outside;
}

/** Where the story was filed, from a dateline opening one of the first paragraphs ("KHAR, Pakistan —",
 * "NAIROBI —"): its town (and country, when given) in capitals, then a dash. `to` is the first token
 * after the dateline in that sentence: the names inside it are not places of the attack words. */
export interface Dateline {
  readonly sentence: number;
  readonly to: number;
  /** The dateline's town, or its country; inferred, since reporters file from capitals too. */
  readonly place: Field<PlaceValue> | null;
}

// A town in capitals (DAR ES SALAAM, N'DJAMENA), an optional country or region, and a dash.
const DATELINE = /^(\p{Lu}[\p{Lu}.'’ -]*\p{Lu}\.?)(?:,\s*\p{Lu}[\p{L}.'’ -]{1,40}?)?\s*(?:—|–|--| - )\s*/u;
const DATELINE_SENTENCES = 3;

export function findDateline(
  documentId: string,
  text: string,
  sentences: readonly AnnotatedSentence[],
  countriesNamed: ReadonlySet<string>,
): Dateline | null {
  for (const s of sentences.slice(0, DATELINE_SENTENCES)) {
    // Capitals mark a dateline only where the rest of the text is not in capitals too.
    if (!s.mixedCase) return null;
    const m = DATELINE.exec(s.sentence.text);
    if (!m) continue;
    const end = s.sentence.start + m[0].length;
    const tokens = s.sentence.tokens;
    let to = tokens.findIndex((t) => t.start >= end);
    if (to < 0) to = tokens.length;
    const inside = s.names.filter((n) => n.to <= to);
    const countries = inside.flatMap((n) => n.entries.flatMap((e) => (e.kind === 'country' ? [e.code] : [])));
    const named = new Set([...countriesNamed, ...countries]);
    let place: Field<PlaceValue> | null = null;
    for (const n of inside) {
      const city = n.entries.some((e) => e.kind === 'country') ? null : chooseCity(n.entries, named);
      // With a country given, the town must be in it ("SRINAGAR, India").
      if (!city || (countries.length > 0 && !countries.includes(city.country))) continue;
      place = {
        value: { city: city.name, country: city.country, lat: city.lat, lon: city.lon, precision: 'city' },
        evidence: [evidenceOf(documentId, text, s, n.from, n.to)],
        inferred: true,
      };
      break;
    }
    if (!place) {
      const n = inside.find((x) => x.entries.some((e) => e.kind === 'country'));
      const code = countries[0];
      if (n && code)
        place = {
          value: { city: null, country: code, lat: null, lon: null, precision: 'country' },
          evidence: [evidenceOf(documentId, text, s, n.from, n.to)],
          inferred: true,
        };
    }
    return { sentence: s.sentence.index, to, place };
  }
  return null;
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
    const entries = mention.match.entries;
    const town = mention.city ? chooseCity(entries, countriesNamed) : null;
    const city = town && townBeforeRegion(town, entries, countriesNamed) ? town : null;
    if (city) {
      return {
        value: { city: city.name, country: city.country, lat: city.lat, lon: city.lon, precision: 'city' },
        evidence,
        inferred: false,
      };
    }
    const country = entries.find((e) => e.kind === 'country');
    if (country?.kind === 'country') {
      return {
        value: { city: null, country: country.code, lat: null, lon: null, precision: 'country' },
        evidence,
        inferred: false,
      };
    }
    // "in Bali", "in central Sinai", "in Borno state": the region's country, at country precision.
    const code = regionCountry(entries, countriesNamed);
    if (code) {
      return {
        value: { city: null, country: code, lat: null, lon: null, precision: 'country' },
        evidence,
        inferred: false,
      };
    }
  }
  return null;
}

/** The countries a text names: a country, or a region that lies in one country ("Bali" names
 * Indonesia; "Kashmir", across borders, names none). */
export function countriesNamed(sentences: readonly AnnotatedSentence[]): Set<string> {
  const out = new Set<string>();
  for (const s of sentences)
    for (const m of s.names)
      for (const e of m.entries) {
        if (e.kind === 'country') out.add(e.code);
        else if (e.kind === 'region' && e.region.countries.length === 1)
          out.add(e.region.countries[0] as string);
      }
  return out;
}
