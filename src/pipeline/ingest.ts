import { analyseAfterWrite } from '../analyze/incremental.js';
import { extractIncidents, extractReactions } from '../extract/index.js';
import { type ArmedGroup, knowledgeBase } from '../knowledge/groups.js';
import { type Incident, resolveDraft } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { type ReadOptions, readSources } from '../sources/index.js';
import type { Store } from '../store/index.js';

/** What happened to one input: stored with its incidents, already known, or refused with a reason. */
export type IngestOutcome =
  | {
      readonly status: 'stored';
      readonly origin: string;
      readonly documentId: string;
      readonly incidents: readonly Incident[];
      /** The incident each of them joined: itself, or one another source reported first. */
      readonly incidentIds: readonly string[];
      /** The stored document this one copies (wire copy republished), if any. */
      readonly copyOf: string | null;
    }
  | { readonly status: 'duplicate'; readonly origin: string; readonly documentId: string }
  | { readonly status: 'error'; readonly origin: string; readonly reason: string };

/** Document → incidents, without storing: extraction then resolution against the knowledge base. */
export function incidentsOf(doc: Document, groups: ReadonlyMap<string, ArmedGroup>): Incident[] {
  return extractIncidents(doc).map((draft) => resolveDraft(draft, groups));
}

/** Reads, extracts and stores every input, one result per document. Each document is stored in its
 * own transaction with its incidents, so an error or a crash never leaves half of one behind. */
export async function* ingest(
  store: Store,
  inputs: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<IngestOutcome> {
  // The knowledge base in effect (see useKnowledgeBase), synced only if the store has another version.
  const kb = knowledgeBase();
  await store.syncKnowledgeBase(kb);
  const groups = new Map(kb.groups.map((g) => [g.id, g]));
  for await (const result of readSources(inputs, options)) {
    if (!result.ok) {
      yield { status: 'error', origin: result.input, reason: result.reason };
      continue;
    }
    yield await storeDocument(store, result.document, groups);
  }
}

/** One document into the store: already known by id, else extracted, resolved and saved. */
export async function storeDocument(
  store: Store,
  doc: Document,
  groups: ReadonlyMap<string, ArmedGroup>,
): Promise<IngestOutcome> {
  if (await store.getDocument(doc.id)) return { status: 'duplicate', origin: doc.origin, documentId: doc.id };
  const incidents = incidentsOf(doc, groups);
  const saved = await store.saveDocument(doc, incidents);
  // States' reactions in the text, tied to the incident each draft joined (docs/analysis.md).
  if (saved.status === 'stored')
    await store.reactions.saveReactions(
      doc.id,
      extractReactions(doc, incidents),
      new Map(incidents.map((i, n) => [i.id, saved.incidentIds[n] ?? i.id])),
    );
  // Alerts and threat levels of the groups and countries touched, as incidents arrive (docs/analysis.md).
  if (saved.status === 'stored') await analyseAfterWrite(store, groups);
  return saved.status === 'stored'
    ? {
        status: 'stored',
        origin: doc.origin,
        documentId: doc.id,
        incidents,
        incidentIds: saved.incidentIds,
        copyOf: saved.nearDuplicateOf?.documentId ?? null,
      }
    : { status: 'duplicate', origin: doc.origin, documentId: doc.id };
}
