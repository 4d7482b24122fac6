import type { ArmedGroup, KnowledgeBase } from '../knowledge/groups.js';
import type { Incident } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { type AccessStore, accessStore } from './access.js';
import { type AnalysisStore, analysisStore } from './analysis.js';
import { changes } from './audience.js';
import { connect, type OpenOptions } from './connect.js';
import {
  citedDocuments,
  getDocument,
  nearDuplicates,
  redateDocument,
  type SaveResult,
  saveDocument,
} from './documents.js';
import { StoreError } from './errors.js';
import {
  type FeedState,
  getFeedState,
  knownFeedEntries,
  listFeedStates,
  rememberFeedEntries,
  saveFeedState,
} from './feeds.js';
import {
  type DiscoveredGroup,
  decideGroup,
  type GroupDecision,
  type GroupDecisionRequest,
  groupDecisionHistory,
  listDiscoveredGroups,
  undoGroupDecision,
} from './group-decisions.js';
import { listGroups, syncGroups } from './groups.js';
import { type ImportResult, saveImported } from './imported.js';
import { type IncidentQuery, listIncidents, loadIncident, matchIncidentIds } from './incidents.js';
import { type KnowledgeBaseStamp, knowledgeBaseStamp, syncKnowledgeBase } from './knowledge-base.js';
import { type MediaStore, mediaStore } from './media.js';
import type { StoreKind } from './migrations.js';
import { type MixedStore, mixedStore } from './mixed.js';
import { type OverviewStore, overviewStore } from './overview.js';
import { type ReactionStore, reactionStore } from './reactions.js';
import {
  type IncidentDecisionRequest,
  type IncidentReport,
  incidentReports,
  mergeIncidents,
  splitIncident,
} from './resolution.js';
import { countRows, type TableCounts } from './stats.js';
import { type TaxiiStore, taxiiStore } from './taxii.js';

export type {
  AccessStore,
  ApiKeyInfo,
  Clearance,
  CreatedKey,
  DocumentMeta,
  IncidentCursor,
  IncidentFilter,
  IncidentSort,
  Listed,
  Marking,
  MarkingLevel,
  Org,
  Principal,
  Role,
} from './access.js';
export type {
  AlertInput,
  AlertListQuery,
  AlertSync,
  AnalysisStore,
  StoredAlert,
  StoredThreatChange,
  ThreatChangeInput,
} from './analysis.js';
export { type Checkpointer, startCheckpointer } from './checkpoint.js';
export type { OpenOptions } from './connect.js';
export type { SaveResult } from './documents.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export type { FeedState } from './feeds.js';
export {
  type DiscoveredGroup,
  type GroupDecision,
  type GroupDecisionRequest,
  withDecisions,
} from './group-decisions.js';
export type { ImportResult } from './imported.js';
export type { IncidentQuery } from './incidents.js';
export type { KnowledgeBaseStamp } from './knowledge-base.js';
export type { MediaItemRecord, MediaQuery, MediaStore, StoredMediaItem } from './media.js';
export type { StoreKind } from './migrations.js';
export type { DocumentFacts, MixedIncident, MixedStore } from './mixed.js';
export type { OverviewCounts, OverviewStore } from './overview.js';
export type { ReactionQuery, ReactionSource, ReactionStore, StoredReaction } from './reactions.js';
export type { IncidentDecisionRequest, IncidentReport, NearDuplicate } from './resolution.js';
export type { IncidentSortKey } from './search.js';
export type { Probe, TaxiiScope, TaxiiStatus, TaxiiStore, Unit, UnitKey } from './taxii.js';

export interface StoreStats extends TableCounts {
  readonly database: { readonly kind: StoreKind; readonly location: string };
  /** The knowledge base the groups were last synced from; null before the first sync. */
  readonly knowledge_base: KnowledgeBaseStamp | null;
}

export interface Store {
  readonly kind: StoreKind;
  /** File path or URL, password redacted. */
  readonly location: string;
  /** Stores a document and its incidents atomically; `duplicate` (and no change) if the document is stored. */
  saveDocument(doc: Document, incidents: readonly Incident[]): Promise<SaveResult>;
  /** A stored document met again with an earlier publication date: it takes that date, its reports
   * replaced by `incidents`; null (no change) when the stored date is not later. */
  redateDocument(
    doc: Document & { readonly published: string },
    incidents: readonly Incident[],
  ): Promise<string[] | null>;
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  /** By full id, or by a unique prefix of at least 4 characters; throws StoreError if the prefix is ambiguous. */
  getIncident(idOrUniquePrefix: string): Promise<Incident | null>;
  /** The reports an incident was merged from, oldest first: what each source said, and why it was merged. */
  incidentReports(incidentId: string): Promise<IncidentReport[]>;
  /** An analyst's merge of two incidents, kept on every later re-clustering; returns the merged id. */
  mergeIncidents(a: string, b: string, decision: IncidentDecisionRequest): Promise<string>;
  /** An analyst's split: the document's report leaves the incident for good; returns [rest, part]. */
  splitIncident(
    incidentId: string,
    documentId: string,
    decision: IncidentDecisionRequest,
  ): Promise<[string, string]>;
  getDocument(id: string): Promise<Document | null>;
  /** The stored document each of these is a near-duplicate copy of (wire copy), for those that are. */
  nearDuplicates(documentIds: readonly string[]): Promise<Map<string, string>>;
  /** Every document an incident cites (its sources and those its evidence names), sorted. */
  citedDocuments(incidentId: string): Promise<string[]>;
  /** Upserts the knowledge base; running it twice changes nothing. */
  syncGroups(groups: readonly ArmedGroup[]): Promise<void>;
  listGroups(): Promise<ArmedGroup[]>;
  /** Syncs the knowledge base's groups and records its version, unless the store already has that
   * version; `changed` says whether it synced. */
  syncKnowledgeBase(
    kb: KnowledgeBase,
  ): Promise<{ readonly changed: boolean; readonly stamp: KnowledgeBaseStamp }>;
  /** The knowledge base the groups were last synced from, or null. */
  knowledgeBaseStamp(): Promise<KnowledgeBaseStamp | null>;
  /** Groups the extractor found that the knowledge base does not know, with the decision in force. */
  listDiscoveredGroups(): Promise<DiscoveredGroup[]>;
  /** Merges a discovered group into a known one, or promotes it to a group of its own; recorded with
   * who and why, applied to every read (and so to re-ingested documents) until undone. */
  decideGroup(request: GroupDecisionRequest): Promise<GroupDecision>;
  /** Undoes the merge or promotion in force for a discovered group (`vigil groups unmerge`). */
  undoGroupDecision(groupId: string, by: string): Promise<GroupDecision>;
  /** Every decision about a group (as the discovered group or as the target), undone ones too. */
  groupDecisionHistory(groupId: string): Promise<GroupDecision[]>;
  stats(): Promise<StoreStats>;
  /** Stores incidents read from elsewhere (STIX) with the documents they cite; what is stored stays as it is. */
  saveImported(documents: readonly Document[], incidents: readonly Incident[]): Promise<ImportResult>;
  /** What `vigil watch` knows of a feed (validators, schedule, failures), or null for a new feed. */
  getFeedState(url: string): Promise<FeedState | null>;
  listFeedStates(): Promise<FeedState[]>;
  saveFeedState(state: FeedState): Promise<void>;
  /** The entry keys (guid, id or link) among `keys` already read from this feed. */
  knownFeedEntries(url: string, keys: readonly string[]): Promise<Set<string>>;
  /** Records entries of a feed as read; the feed's state must have been saved. */
  rememberFeedEntries(url: string, keys: readonly string[]): Promise<void>;
  /** Organisations, users, API keys, TLP markings, and the reads filtered by a caller's clearance
   * (only the server's service layer uses those). */
  readonly access: AccessStore;
  /** Alerts and the history of threat levels (`vigil alerts`, `vigil threat`). */
  readonly analysis: AnalysisStore;
  /** States' reactions read from documents (`vigil reactions`, briefs). */
  readonly reactions: ReactionStore;
  /** Groups' media items: metadata, language, attribution, audiences (`vigil media`). */
  readonly media: MediaStore;
  /** The dashboard overview's counts for a caller, by aggregates rather than a scan. */
  readonly overview: OverviewStore;
  /** What the TAXII server reads (incidents in the order stored, by clearance) and its status resources. */
  readonly taxii: TaxiiStore;
  /** Incidents whose documents have different audiences, and what callers' views of them are made of. */
  readonly mixed: MixedStore;
  /** Counters that move when incidents change (any, and mixed ones): what readers made of the store
   * holds until then. */
  changes(): Promise<{ readonly incidents: string; readonly mixed: string }>;
  close(): Promise<void>;
}

const MIN_PREFIX = 4;
const SHOWN_MATCHES = 5;

/**
 * Opens (creating and migrating if needed) a SQLite file or a PostgreSQL database.
 *
 * @example
 * const store = await openStore('vigil.db'); // or 'postgres://user@host/db'
 * await store.saveDocument(doc, incidents);
 * await store.close();
 */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  const { db, kind, location: shown } = await connect(location, options);
  let closed = false;
  return Object.freeze({
    kind,
    location: shown,
    access: accessStore(db, kind, shown),
    analysis: analysisStore(db),
    taxii: taxiiStore(db),
    reactions: reactionStore(db),
    media: mediaStore(db),
    overview: overviewStore(db),
    mixed: mixedStore(db),
    changes: () => changes(db),
    saveDocument: (doc: Document, incidents: readonly Incident[]) => saveDocument(db, kind, doc, incidents),
    redateDocument: (doc: Document & { readonly published: string }, incidents: readonly Incident[]) =>
      redateDocument(db, kind, doc, incidents),
    incidentReports: (id: string) => incidentReports(db, id),
    mergeIncidents: (a: string, b: string, decision: IncidentDecisionRequest) =>
      db
        .transaction()
        .execute((trx) => mergeIncidents(trx, kind, shown, [a, b], decision, new Date().toISOString())),
    splitIncident: (incidentId: string, documentId: string, decision: IncidentDecisionRequest) =>
      db
        .transaction()
        .execute((trx) =>
          splitIncident(trx, kind, shown, incidentId, documentId, decision, new Date().toISOString()),
        ),
    async listIncidents(query?: IncidentQuery) {
      if (query?.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
        throw new StoreError('invalid_option', `invalid limit ${query.limit}`, shown);
      }
      return listIncidents(db, query);
    },
    async getIncident(idOrPrefix: string) {
      const ids = await matchIncidentIds(
        db,
        idOrPrefix,
        idOrPrefix.length >= MIN_PREFIX ? SHOWN_MATCHES + 1 : 0,
      );
      if (ids.length === 0) return null;
      if (ids.length > 1) {
        const shownIds = ids.slice(0, SHOWN_MATCHES).join(', ') + (ids.length > SHOWN_MATCHES ? ', …' : '');
        throw new StoreError(
          'ambiguous_id',
          `incident id prefix "${idOrPrefix}" is ambiguous: it matches ${shownIds}`,
          shown,
        );
      }
      return loadIncident(db, ids[0] as string);
    },
    getDocument: (id: string) => getDocument(db, id),
    nearDuplicates: (ids: readonly string[]) => nearDuplicates(db, ids),
    citedDocuments: (id: string) => citedDocuments(db, id),
    syncGroups: (groups: readonly ArmedGroup[]) => syncGroups(db, groups),
    listGroups: () => listGroups(db),
    syncKnowledgeBase: (kb: KnowledgeBase) => syncKnowledgeBase(db, kb, new Date().toISOString()),
    knowledgeBaseStamp: () => knowledgeBaseStamp(db),
    listDiscoveredGroups: () => listDiscoveredGroups(db),
    decideGroup: (request: GroupDecisionRequest) => decideGroup(db, shown, request, new Date().toISOString()),
    undoGroupDecision: (groupId: string, by: string) =>
      undoGroupDecision(db, shown, groupId, by, new Date().toISOString()),
    groupDecisionHistory: (groupId: string) => groupDecisionHistory(db, groupId),
    async stats() {
      const counts = await countRows(db);
      return { database: { kind, location: shown }, ...counts, knowledge_base: await knowledgeBaseStamp(db) };
    },
    saveImported: (documents: readonly Document[], incidents: readonly Incident[]) =>
      saveImported(db, documents, incidents),
    getFeedState: (url: string) => getFeedState(db, url),
    listFeedStates: () => listFeedStates(db),
    saveFeedState: (state: FeedState) => saveFeedState(db, state),
    knownFeedEntries: (url: string, keys: readonly string[]) => knownFeedEntries(db, url, keys),
    rememberFeedEntries: (url: string, keys: readonly string[]) => rememberFeedEntries(db, url, keys),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  });
}
