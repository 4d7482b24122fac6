import { analyseAfterWrite } from '../analyze/incremental.js';
import { extractIncidents, extractReactions } from '../extract/index.js';
import { type ArmedGroup, knowledgeBase } from '../knowledge/groups.js';
import { type Incident, resolveDraft } from '../resolve/index.js';
import {
  type Document,
  documentId,
  heldDocumentId,
  type ReadOptions,
  readSources,
} from '../sources/index.js';
import type { Store } from '../store/index.js';
import { type Holding, holdingKey, sameHolding } from '../tlp/index.js';

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
  | {
      readonly status: 'duplicate';
      readonly origin: string;
      readonly documentId: string;
      /** Set when this copy was published earlier than the stored one, which now takes its date. */
      readonly redated?: { readonly from: string | null; readonly to: string };
    }
  | { readonly status: 'error'; readonly origin: string; readonly reason: string };

/** Document → incidents, without storing: extraction then resolution against the knowledge base. */
export function incidentsOf(doc: Document, groups: ReadonlyMap<string, ArmedGroup>): Incident[] {
  return extractIncidents(doc).map((draft) => resolveDraft(draft, groups));
}

/** A long ingest brings the stored alerts and threat levels up to date after this many stored
 * documents or this long, whichever comes first, and at its end: each update replays the groups and
 * countries touched since the last one, so a per-document update would replay a busy country once
 * for every article about it. An update replays its subjects' whole histories, so it costs more as
 * the store grows: the next one waits at least `pause` times as long as the last took, which keeps
 * updates near a tenth of ingest time, but at most `maxMs`, so alerts are never later than that, or
 * `maxDocuments`, so one update never holds more than that many documents' incidents in memory. */
const ANALYSE_EVERY = { documents: 100, ms: 2000, pause: 9, maxMs: 60_000, maxDocuments: 2000 } as const;

/** Whether a batched ingest updates the analysis now: `unanalysed` documents stored since the last
 * update, which ended `sinceMs` ago and took `lastTookMs`. */
export function analysisDue(unanalysed: number, sinceMs: number, lastTookMs: number): boolean {
  if (unanalysed >= ANALYSE_EVERY.maxDocuments) return true;
  const pause = Math.min(ANALYSE_EVERY.maxMs, lastTookMs * ANALYSE_EVERY.pause);
  return (
    unanalysed > 0 &&
    (unanalysed >= ANALYSE_EVERY.documents || sinceMs >= ANALYSE_EVERY.ms) &&
    sinceMs >= pause
  );
}

/** Reads, extracts and stores every input, one result per document. Each document is stored in its
 * own transaction with its incidents, so an error or a crash never leaves half of one behind (what
 * a crash leaves unanalysed stays noted in the store and the next update takes it up). */
export async function* ingest(
  store: Store,
  inputs: readonly string[],
  options: ReadOptions = {},
  /** The marking every document is held under; null: unmarked (CLEAR, the local CLI's). */
  holding: Holding | null = null,
): AsyncGenerator<IngestOutcome> {
  // The knowledge base in effect (see useKnowledgeBase), synced only if the store has another version.
  const kb = knowledgeBase();
  await store.syncKnowledgeBase(kb);
  const groups = new Map(kb.groups.map((g) => [g.id, g]));
  let unanalysed = 0;
  let analysedAt = Date.now();
  let lastTook = 0;
  try {
    for await (const result of readSources(inputs, options)) {
      if (!result.ok) {
        yield { status: 'error', origin: result.input, reason: result.reason };
        continue;
      }
      const outcome = await storeDocument(store, result.document, groups, { analyse: false, holding });
      if (outcome.status === 'stored' || (outcome.status === 'duplicate' && outcome.redated)) unanalysed++;
      if (analysisDue(unanalysed, Date.now() - analysedAt, lastTook)) {
        const started = Date.now();
        await analyseAfterWrite(store, groups);
        unanalysed = 0;
        analysedAt = Date.now();
        lastTook = analysedAt - started;
      }
      yield outcome;
    }
  } finally {
    if (unanalysed > 0) await analyseAfterWrite(store, groups);
  }
}

/** One document into the store: already known by id, else extracted, resolved and saved, then the
 * stored analysis brought up to date (unless `analyse` is false: the caller does it in batches).
 * With a `holding`, the document is that holding of its text (its own id, src/tlp/marking.ts), marked
 * before it is stored so that it is never readable unmarked. */
export async function storeDocument(
  store: Store,
  given: Document,
  groups: ReadonlyMap<string, ArmedGroup>,
  options: { readonly analyse?: boolean; readonly holding?: Holding | null } = {},
): Promise<IngestOutcome> {
  const holding = options.holding ?? null;
  const doc = holding === null ? given : { ...given, id: await heldId(store, given.text, holding) };
  if (holding !== null) await store.access.addMarking(doc.id, holding);
  const known = await store.getDocument(doc.id);
  if (known) {
    const outcome = await redateIfEarlier(store, doc, known, groups);
    if (outcome.status === 'duplicate' && outcome.redated && options.analyse !== false)
      await analyseAfterWrite(store, groups);
    return outcome;
  }
  const incidents = incidentsOf(doc, groups);
  const saved = await store.saveDocument(doc, incidents);
  // States' reactions in the text, tied to the incident each draft joined (docs/analysis.md).
  // A new document has no reactions stored yet: none found, nothing to write (nor a commit to pay).
  const reactions = saved.status === 'stored' ? extractReactions(doc, incidents) : [];
  if (reactions.length > 0)
    await store.reactions.saveReactions(
      doc.id,
      reactions,
      new Map(incidents.map((i, n) => [i.id, saved.incidentIds[n] ?? i.id])),
    );
  // Alerts and threat levels of the groups and countries touched, as incidents arrive (docs/analysis.md).
  if (saved.status === 'stored' && options.analyse !== false) await analyseAfterWrite(store, groups);
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

/** The same text met again: one document, dated by its earliest copy whatever the order they come in
 * (its reports are read again with that date, as "on Monday" moves with it). */
async function redateIfEarlier(
  store: Store,
  doc: Document,
  known: Document,
  groups: ReadonlyMap<string, ArmedGroup>,
): Promise<IngestOutcome> {
  const duplicate = { status: 'duplicate', origin: doc.origin, documentId: doc.id } as const;
  const published = doc.published;
  // A document known only from a STIX import has no text to read again: its incidents stay as imported.
  if (published === null || known.text === '' || !isEarlier(published, known.published)) return duplicate;
  const redated = { ...known, published };
  const changed = await store.redateDocument(redated, incidentsOf(redated, groups));
  return changed === null ? duplicate : { ...duplicate, redated: { from: known.published, to: published } };
}

/** The id of a text under a holding: its own, or that of a document stored before documents had one
 * holding each (`documentId`) that this holding already holds, so that ingest stays idempotent. */
async function heldId(store: Store, text: string, holding: Holding): Promise<string> {
  const id = heldDocumentId(text, holdingKey(holding));
  if ((await store.getDocument(id)) !== null) return id;
  const older = documentId(text);
  const held = (await store.access.markingsOf([older])).get(older) ?? [];
  return held.some((m) => sameHolding(m, holding)) ? older : id;
}

function isEarlier(date: string, than: string | null): boolean {
  return than === null || Date.parse(date) < Date.parse(than);
}
