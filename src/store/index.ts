import type { ArmedGroup } from '../knowledge/groups.js';
import type { Incident } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { connect, type OpenOptions } from './connect.js';
import { getDocument, type SaveResult, saveDocument } from './documents.js';
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
import type { StoreKind } from './migrations.js';
import { countRows, type TableCounts } from './stats.js';

export type { OpenOptions } from './connect.js';
export type { SaveResult } from './documents.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export type { FeedState } from './feeds.js';
export type { DiscoveredGroup, GroupDecision, GroupDecisionRequest } from './group-decisions.js';
export type { ImportResult } from './imported.js';
export type { IncidentQuery } from './incidents.js';
export type { StoreKind } from './migrations.js';

export interface StoreStats extends TableCounts {
  readonly database: { readonly kind: StoreKind; readonly location: string };
}

export interface Store {
  readonly kind: StoreKind;
  /** File path or URL, password redacted. */
  readonly location: string;
  /** Stores a document and its incidents atomically; `duplicate` (and no change) if the document is stored. */
  saveDocument(doc: Document, incidents: readonly Incident[]): Promise<SaveResult>;
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  /** By full id, or by a unique prefix of at least 4 characters; throws StoreError if the prefix is ambiguous. */
  getIncident(idOrUniquePrefix: string): Promise<Incident | null>;
  getDocument(id: string): Promise<Document | null>;
  /** Upserts the knowledge base; running it twice changes nothing. */
  syncGroups(groups: readonly ArmedGroup[]): Promise<void>;
  listGroups(): Promise<ArmedGroup[]>;
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
    saveDocument: (doc: Document, incidents: readonly Incident[]) => saveDocument(db, doc, incidents),
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
    syncGroups: (groups: readonly ArmedGroup[]) => syncGroups(db, groups),
    listGroups: () => listGroups(db),
    listDiscoveredGroups: () => listDiscoveredGroups(db),
    decideGroup: (request: GroupDecisionRequest) => decideGroup(db, shown, request, new Date().toISOString()),
    undoGroupDecision: (groupId: string, by: string) =>
      undoGroupDecision(db, shown, groupId, by, new Date().toISOString()),
    groupDecisionHistory: (groupId: string) => groupDecisionHistory(db, groupId),
    async stats() {
      return { database: { kind, location: shown }, ...(await countRows(db)) };
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
