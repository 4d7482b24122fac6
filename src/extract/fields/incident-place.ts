/**
 * The place of a document's incidents when the sentences that report them leave it open: the town
 * the learned scorer (`data/models/places.json`, trainer scripts/train/places.ts) rates highest
 * among the candidates of place-candidates.ts, in the country the document states.
 */
import { skeleton } from '../../knowledge/place-index.js';
import { loadModel, probability } from '../../learn/index.js';
import type { AnnotatedSentence } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { readLexicon } from '../lexicon.js';
import type { Field, IncidentDraft, PlaceValue } from '../types.js';
import {
  type DocumentCountries,
  type PlaceCandidate,
  placeCandidates,
  readLead,
} from './place-candidates.js';

export const PLACES_MODEL = 'places';

/** Buildings named after their town ("Mardan University"): the town a sentence read there stays. */
const FACILITIES = new Set(readLexicon<{ facilities: string[] }>('places.json').facilities);
const facilityAfter = (text: string, end: number) =>
  FACILITIES.has(/^\s+(\p{L}+)/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase() ?? '');
/** Below this the scorer's best candidate is not taken: the document names no town of the attack. */
const MIN_PROBABILITY = 0.3;

export interface DocumentPlace {
  /** The scorer's town, or the stated country at country precision. */
  readonly place: Field<PlaceValue> | null;
  /** The country the document leads with ("ARGENTINA."), which outranks any other country named. */
  readonly leading: string | null;
  /** The scorer's probability of the place chosen, and of each candidate by spelling skeleton. */
  readonly probability: number;
  readonly byKey: ReadonlyMap<string, number>;
  /** Whether the gazetteer knows the chosen town in its country. */
  readonly known: boolean;
}

/** How much surer the scorer must be of its town than of the town a sentence tied to the attack. */
const OVERRIDE_MARGIN = 0.5;

/** Words before a country named as the place of something ("in Iraq", "in northern Iraq"); not
 * "citizens of Tajikistan", "links to Ukraine". */
const PLACE_WORDS = new Set([
  'in',
  'at',
  'near',
  'outside',
  'inside',
  'across',
  'throughout',
  'within',
  'around',
]);

/** The countries the text names outside group names (a country, a region's countries; not a
 * nationality: "the Iranian embassy in Basra"); the one it names most (a country, or a province of
 * one country), if one leads; and those it names as a place ("in Iraq", "near Kirkuk, Iraq"). */
function namedCountries(sentences: readonly AnnotatedSentence[]): {
  most: string | null;
  all: Set<string>;
  asPlace: Set<string>;
} {
  const counts = new Map<string, number>();
  const all = new Set<string>();
  const asPlace = new Set<string>();
  for (const s of sentences)
    for (const m of s.names) {
      if (m.entries.some((e) => e.kind === 'group')) continue;
      const tokens = s.sentence.tokens;
      const before = [tokens[m.from - 1]?.norm ?? '', tokens[m.from - 2]?.norm ?? ''];
      // "Kirkuk, Iraq" is a place; "Norway, Australia and Lithuania" a list.
      const listed = s.names.some(
        (o) => o.to === m.from - 1 && o.entries.some((e) => e.kind === 'country' || e.kind === 'region'),
      );
      const place =
        (before[0] === ',' && /^\p{Lu}/u.test(tokens[m.from - 2]?.text ?? '') && !listed) ||
        before.some((w) => PLACE_WORDS.has(w));
      for (const e of m.entries) {
        const codes = e.kind === 'country' ? [e.code] : e.kind === 'region' ? e.region.countries : [];
        for (const c of codes) {
          all.add(c);
          if (place) asPlace.add(c);
        }
      }
      const e = m.entries.find(
        (x) => x.kind === 'country' || (x.kind === 'region' && x.region.countries.length === 1),
      );
      const code =
        e?.kind === 'country' ? e.code : e?.kind === 'region' ? (e.region.countries[0] as string) : null;
      if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  const [first, second] = [...counts].sort((a, b) => b[1] - a[1]);
  return { most: first && (!second || second[1] < first[1]) ? first[0] : null, all, asPlace };
}

/** The article's country as the text states it: a header ("ARGENTINA."), or else the country it
 * names most, or else its dateline's; with every country it names. */
export function documentCountry(text: string, sentences: readonly AnnotatedSentence[]): DocumentCountries {
  const lead = readLead(text);
  const { most, all, asPlace } = namedCountries(sentences);
  const datelineCountry = lead.dateline?.country ?? null;
  for (const c of [lead.header, datelineCountry]) if (c) all.add(c);
  const code = lead.header ?? most ?? datelineCountry;
  for (const c of [lead.header, datelineCountry]) if (c) asPlace.add(c);
  return {
    code,
    leading: lead.header !== null,
    placed: asPlace,
    named: all,
    datelineEnd: lead.dateline?.end ?? 0,
  };
}

/** The candidates the scorer chooses among, with the document's country (also for training). */
export function documentCandidates(
  text: string,
  sentences: readonly AnnotatedSentence[],
): { candidates: PlaceCandidate[]; code: string | null; leading: string | null } {
  const doc = documentCountry(text, sentences);
  return {
    candidates: placeCandidates(text, sentences, doc),
    code: doc.code,
    leading: doc.leading ? doc.code : null,
  };
}

export function documentPlace(
  documentId: string,
  text: string,
  sentences: readonly AnnotatedSentence[],
): DocumentPlace {
  const { candidates, code, leading } = documentCandidates(text, sentences);
  const model = loadModel(PLACES_MODEL);
  let best: PlaceCandidate | null = null;
  let bestP = MIN_PROBABILITY;
  const byKey = new Map<string, number>();
  for (const c of candidates) {
    const p = probability(model, c.features);
    byKey.set(c.key, Math.max(p, byKey.get(c.key) ?? 0));
    if (p > bestP) {
      best = c;
      bestP = p;
    }
  }
  if (best) {
    const country = best.country ?? code;
    if (country) {
      const lat = best.city?.lat ?? best.admin?.lat ?? null;
      const lon = best.city?.lon ?? best.admin?.lon ?? null;
      return {
        place: {
          value: { city: best.name, country, lat, lon, precision: 'city' },
          evidence: [evidenceOf(documentId, text, best.s, best.from, best.to)],
          inferred: true,
        },
        leading,
        probability: bestP,
        byKey,
        known: best.city !== null,
      };
    }
  }
  if (leading) {
    const s = sentences[0];
    const place: Field<PlaceValue> | null = s
      ? {
          value: { city: null, country: leading, lat: null, lon: null, precision: 'country' },
          evidence: [evidenceOf(documentId, text, s, 0, Math.min(1, s.sentence.tokens.length))],
          inferred: true,
        }
      : null;
    return { place, leading, probability: 0, byKey, known: false };
  }
  return { place: null, leading, probability: 0, byKey, known: false };
}

/** Fills what the sentences left open: a draft with no place takes the document's, one placed only
 * in a country takes the document's town in that country, and one placed in another country than
 * the document leads with takes the document's place. */
export function withDocumentPlace(
  drafts: IncidentDraft[],
  doc: DocumentPlace,
  text: string,
): IncidentDraft[] {
  const place = doc.place;
  if (!place) return drafts;
  return drafts.map((d) => {
    const own = d.place;
    if (!own) return { ...d, place };
    if (doc.leading && own.value.country !== doc.leading && place.value.country === doc.leading)
      return { ...d, place };
    if (place.value.city === null) return d;
    const written = skeleton(own.evidence[0]?.text ?? '');
    // "in Bali": a sentence that read the name as a region has said what it is, unless the region
    // has a town of its name the gazetteer knows ("Bingol", "Kandahar").
    if (own.value.city === null)
      return own.value.country === place.value.country &&
        (doc.known || written !== skeleton(place.value.city))
        ? { ...d, place }
        : d;
    // A town the scorer rates far below its own choice: a name near the attack word that is not
    // where it happened ("a flight from New Delhi ... landed in Amritsar"). A town the candidates
    // do not hold ("Mardan University") was read by a rule they lack: it stays.
    const p = doc.byKey.get(written) ?? doc.byKey.get(skeleton(own.value.city));
    if (p === undefined && facilityAfter(text, own.evidence[0]?.end ?? 0)) return d;
    if (doc.probability - (p ?? 0) > OVERRIDE_MARGIN) return { ...d, place };
    return d;
  });
}
