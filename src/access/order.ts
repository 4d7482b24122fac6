import type { Incident } from '../resolve/index.js';
import type { IncidentCursor, IncidentFilter, IncidentSort, IncidentSortKey } from '../store/index.js';
import { SORT_UNKNOWN } from '../store/search.js';
import { searchTokens } from '../store/search-words.js';

/* The store's incident filters and orders, in JavaScript, for views (src/access/views.ts) that the
 * database does not hold: each function says what the SQL of src/store/access.ts says, on the record
 * as the store keeps it (`raw`: before the analysts' group decisions), so that views and stored
 * incidents interleave in one list. Text compares as the databases compare it, byte by byte in UTF-8
 * (code point order). */

/** Where an item stands in an order: its date (default order) or sort key, and its id. */
export type Position = IncidentCursor;

/** What SQL's sort expressions give (src/store/search.ts SORT_EXPRESSIONS): unknown is lowest. */
export function sortKey(raw: Incident, by: IncidentSortKey): string | number {
  switch (by) {
    case 'date':
      return raw.date?.date ?? '';
    case 'killed':
      return raw.killed?.value ?? raw.killed?.min ?? -1;
    case 'wounded':
      return raw.wounded?.value ?? raw.wounded?.min ?? -1;
    case 'country':
      return raw.country ?? '';
    case 'group':
      return raw.perpetratorGroups[0]?.group ?? '';
  }
}

export function positionOf(raw: Incident, sort: IncidentSort | undefined): Position {
  return sort === undefined
    ? { date: raw.date?.date ?? null, id: raw.id }
    : { date: null, id: raw.id, key: sortKey(raw, sort.by) };
}

/** Code point order, as UTF-8 bytes compare. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const compareValue = (a: string | number, b: string | number) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b));

/** The order of a list: negative when `a` comes first. */
export function comparePositions(sort: IncidentSort | undefined): (a: Position, b: Position) => number {
  if (sort === undefined) {
    // Newest first, undated last, then by id.
    return (a, b) => {
      if (a.date !== b.date) {
        if (a.date === null) return 1;
        if (b.date === null) return -1;
        return -compareText(a.date, b.date);
      }
      return compareText(a.id, b.id);
    };
  }
  const unknown = SORT_UNKNOWN[sort.by];
  const direction = sort.order === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = a.key ?? unknown;
    const kb = b.key ?? unknown;
    // Without the key last, whichever the direction: then by id ascending (asc) or descending (desc).
    const ua = ka === unknown;
    const ub = kb === unknown;
    if (ua !== ub) return ua ? 1 : -1;
    const byKey = ua ? 0 : compareValue(ka, kb);
    return byKey !== 0 ? direction * byKey : direction * compareText(a.id, b.id);
  };
}

/** Whether a view passes the filter, as the store's SQL filter decides for a stored incident.
 * `groupIds`: the ids counting as the filter's group (itself and those merged into it). */
export function passes(raw: Incident, filter: IncidentFilter, groupIds: ReadonlySet<string> | null): boolean {
  if (filter.country !== undefined && raw.country !== filter.country) return false;
  if (groupIds !== null && !raw.perpetratorGroups.some((g) => groupIds.has(g.groupId))) return false;
  const date = raw.date?.date ?? null;
  if (filter.since !== undefined && (date === null || date < filter.since)) return false;
  if (filter.until !== undefined && (date === null || date > filter.until)) return false;
  if (filter.attackType !== undefined && !(raw.attackTypes as readonly string[]).includes(filter.attackType))
    return false;
  if (filter.words !== undefined && filter.words.length > 0) {
    // The store's rule (`vigil_has_words`): all words in the target and perpetrator text (its JSON
    // columns), or in one evidence sentence (every sentence of a view is of a document the caller sees).
    const words = searchTokens(filter.words.join(' '));
    if (words.length === 0) return false;
    const { text, sentences } = tokensOf(raw);
    const has = (tokens: ReadonlySet<string>) => words.every((w) => tokens.has(w));
    if (!has(text) && !sentences.some(has)) return false;
  }
  return true;
}

/** The search tokens of a record's text and of each of its sentences, made once a record (views are
 * kept, and searched again and again). */
const tokens = new WeakMap<Incident, { text: Set<string>; sentences: Set<string>[] }>();
function tokensOf(raw: Incident) {
  let found = tokens.get(raw);
  if (found === undefined) {
    found = {
      text: new Set(searchTokens(`${JSON.stringify(raw.targetText)} ${JSON.stringify(raw.perpetratorText)}`)),
      sentences: [...new Set(raw.evidence.map((e) => e.sentence))].map((s) => new Set(searchTokens(s))),
    };
    tokens.set(raw, found);
  }
  return found;
}
