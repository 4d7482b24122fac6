import type { Document } from '../sources/document.js';
import { annotate } from './annotate.js';
import { draftIncidents } from './drafts.js';
import type { IncidentDraft } from './types.js';

export type * from './types.js';
export { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from './types.js';

/** Incident drafts reported by one document, each field with its evidence. Pure: the same document
 * always gives the same drafts. */
export function extractIncidents(doc: Pick<Document, 'id' | 'text' | 'published'>): IncidentDraft[] {
  const sentences = annotate(doc.text);
  const countriesNamed = new Set<string>();
  for (const s of sentences) {
    for (const m of s.names) for (const e of m.entries) if (e.kind === 'country') countriesNamed.add(e.code);
  }
  const published = doc.published ? new Date(`${doc.published.slice(0, 10)}T12:00:00Z`) : null;
  return draftIncidents({
    documentId: doc.id,
    text: doc.text,
    published: published && !Number.isNaN(published.getTime()) ? published : null,
    sentences,
    countriesNamed,
  });
}
