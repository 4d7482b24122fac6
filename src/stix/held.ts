import { createHash } from 'node:crypto';
import type { Incident } from '../resolve/index.js';
import type { Document } from '../sources/index.js';

/* An imported incident is held under one marking by the organisation that imports it, with the
 * documents it cites: it is that holding's copy. The ids a bundle gives (Vigil's `vigil_id`, a report's
 * `document_id`) are the sender's; taken as they are, a bundle could name a stored document or
 * incident of someone else's and attach to it, re-mark it, or learn that it exists. So ids are scoped
 * by the holding: the same bundle imported twice under one holding is the same copy (idempotent), and
 * under another holding another copy. */

/** An id as held under a holding (`holdingKey` of src/tlp/marking.ts): sha256 hex for a document,
 * 16 hex digits for an incident, as Vigil's own ids are. */
export function heldImportId(holding: string, id: string, kind: 'document' | 'incident'): string {
  const hex = createHash('sha256')
    .update(`held import\u0000${holding}\u0000${kind}\u0000${id}`)
    .digest('hex');
  return kind === 'incident' ? hex.slice(0, 16) : hex;
}

/** An incident and the documents it cites, their ids as `rename` says (identity for ids kept). */
export function renamed(
  incident: Incident,
  documents: ReadonlyMap<string, Document>,
  rename: { readonly incident: (id: string) => string; readonly document: (id: string) => string },
): { incident: Incident; documents: Document[] } {
  const cited = [...new Set([...incident.sources, ...incident.evidence.map((e) => e.documentId)])];
  return {
    incident: {
      ...incident,
      id: rename.incident(incident.id),
      sources: incident.sources.map(rename.document),
      evidence: incident.evidence.map((e) => ({ ...e, documentId: rename.document(e.documentId) })),
    },
    documents: cited.flatMap((id) => {
      const doc = documents.get(id);
      return doc === undefined ? [] : [{ ...doc, id: rename.document(id) }];
    }),
  };
}
