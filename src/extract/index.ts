import type { Document } from '../sources/index.js';
import { type AnnotatedSentence, annotate } from './annotate.js';
import { draftIncidents } from './drafts.js';
import { evidenceOf } from './evidence.js';
import { documentPlace, withDocumentPlace } from './fields/incident-place.js';
import { findDateline, countriesNamed as namedCountries } from './fields/places.js';
import type { Field, IncidentDraft, PlaceValue } from './types.js';

export {
  type ActorForm,
  extractReactions,
  REACTION_KINDS,
  type Reaction,
  type ReactionActor,
  type ReactionAnchor,
  type ReactionKind,
} from './fields/reactions.js';
export type * from './types.js';
export { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from './types.js';

/** Incident drafts reported by one document, each field with its evidence. Pure: the same document
 * always gives the same drafts. */
export function extractIncidents(doc: Pick<Document, 'id' | 'text' | 'published'>): IncidentDraft[] {
  const sentences = annotate(doc.text);
  const countriesNamed = namedCountries(sentences);
  const mainCountry = mostNamedCountry(doc.id, doc.text, sentences, countriesNamed);
  const published = doc.published ? new Date(`${doc.published.slice(0, 10)}T12:00:00Z`) : null;
  const drafts = draftIncidents({
    documentId: doc.id,
    text: doc.text,
    published: published && !Number.isNaN(published.getTime()) ? published : null,
    sentences,
    countriesNamed,
    mainCountry,
    dateline: findDateline(doc.id, doc.text, sentences, countriesNamed),
  });
  // The town the sentences of an attack leave open, chosen among the document's candidates.
  return drafts.length === 0
    ? drafts
    : withDocumentPlace(drafts, documentPlace(doc.id, doc.text, sentences), doc.text);
}

/** The country an article names most (at least twice, and more than any other): where its incidents
 * are when no sentence places them. Marked inferred, with its first mention as evidence. */
function mostNamedCountry(
  documentId: string,
  text: string,
  sentences: readonly AnnotatedSentence[],
  countriesNamed: ReadonlySet<string>,
): Field<PlaceValue> | null {
  const counts = new Map<
    string,
    { n: number; s: AnnotatedSentence; from: number; to: number; town: boolean }
  >();
  for (const s of sentences) {
    for (const m of s.names) {
      if (m.entries.some((e) => e.kind === 'group')) continue;
      // A town counts for its country when that country is named too ("San Salvador" for SV), or
      // when it is a national capital larger than its namesakes ("Oslo" for NO).
      const largest = Math.max(...m.entries.map((e) => (e.kind === 'city' ? e.city.population : 0)));
      const code = m.entries
        .map((e) =>
          e.kind === 'country'
            ? e.code
            : e.kind === 'region' && e.region.countries.length === 1
              ? (e.region.countries[0] as string)
              : e.kind === 'city' &&
                  (countriesNamed.has(e.city.country) || (e.city.capital && e.city.population === largest))
                ? e.city.country
                : null,
        )
        .find((c) => c !== null);
      if (!code) continue;
      const seen = counts.get(code);
      const town = !m.entries.some((e) => e.kind === 'country');
      if (seen) seen.n++;
      else counts.set(code, { n: 1, s, from: m.from, to: m.to, town });
    }
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
  const [first, second] = ranked;
  // Named once is enough when it is a town and no other country is named at all ("Oslo"); a country
  // named once may be where someone came from ("a refugee from Afghanistan").
  if (!first || (first[1].n < 2 && (second || !first[1].town)) || (second && second[1].n === first[1].n))
    return null;
  const { s, from, to } = first[1];
  return {
    value: { city: null, country: first[0], lat: null, lon: null, precision: 'country' },
    evidence: [evidenceOf(documentId, text, s, from, to)],
    inferred: true,
  };
}
