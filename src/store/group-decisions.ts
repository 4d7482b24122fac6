import type { Kysely } from 'kysely';
import type { Attribution } from '../extract/index.js';
import type { ArmedGroup } from '../knowledge/groups.js';
import type { Incident, IncidentGroup } from '../resolve/index.js';
import { changed } from './audience.js';
import { StoreError } from './errors.js';
import type { Database, GroupDecisionRow } from './schema.js';

/* An analyst's decisions about groups the extractor found but the knowledge base does not know are
 * an overlay: incident rows keep the id as extracted, and every read applies the decisions in force.
 * Undoing one is marking it undone; re-ingesting a document needs nothing special. */

const DISCOVERED_PREFIX = 'discovered:';

export const isDiscoveredId = (id: string): boolean => id.startsWith(DISCOVERED_PREFIX);

export interface GroupDecision {
  readonly id: number;
  /** `merge`: the discovered group is a known one. `promote`: it is a new group of its own. */
  readonly kind: 'merge' | 'promote';
  readonly groupId: string;
  /** The group it now counts as (for a promotion, the group created for it). */
  readonly intoGroupId: string;
  readonly by: string;
  readonly reason: string;
  readonly decidedAt: string;
  readonly undoneAt: string | null;
  readonly undoneBy: string | null;
}

export interface DiscoveredGroup {
  readonly id: string;
  /** Names as the sources wrote them, most frequent first. */
  readonly names: readonly string[];
  readonly incidents: number;
  readonly decision: GroupDecision | null;
}

export type GroupDecisionRequest =
  | {
      readonly kind: 'merge';
      readonly groupId: string;
      readonly into: string;
      readonly by: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'promote';
      readonly groupId: string;
      readonly name: string;
      readonly by: string;
      readonly reason: string;
    };

function toDecision(row: GroupDecisionRow): GroupDecision {
  return {
    id: row.id,
    kind: row.kind as GroupDecision['kind'],
    groupId: row.group_id,
    intoGroupId: row.into_group_id,
    by: row.decided_by,
    reason: row.reason,
    decidedAt: row.decided_at,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
  };
}

/** What each merged or promoted discovered group counts as now: id → target id and name. */
export async function decisionsInForce(
  db: Kysely<Database>,
): Promise<ReadonlyMap<string, { readonly id: string; readonly name: string }>> {
  const rows = await db
    .selectFrom('group_decisions')
    .innerJoin('groups', 'groups.id', 'group_decisions.into_group_id')
    .select(['group_decisions.group_id', 'group_decisions.into_group_id', 'groups.name'])
    .where('group_decisions.undone_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.group_id, { id: r.into_group_id, name: r.name }]));
}

const ATTRIBUTION_ORDER: readonly Attribution[] = ['claimed', 'identified', 'suspected', 'denied'];

/** The incident as the analysts' decisions say: merged names count as the group they were merged into. */
export function withDecisions(
  incident: Incident,
  decisions: ReadonlyMap<string, { readonly id: string; readonly name: string }>,
): Incident {
  if (!incident.perpetratorGroups.some((g) => decisions.has(g.groupId))) return incident;
  const byId = new Map<string, IncidentGroup>();
  for (const g of incident.perpetratorGroups) {
    const target = decisions.get(g.groupId);
    const group = target ? { ...g, groupId: target.id, group: target.name, discovered: false } : g;
    const seen = byId.get(group.groupId);
    if (!seen) byId.set(group.groupId, group);
    else
      byId.set(group.groupId, {
        ...seen,
        aliasesSeen: [...new Set([...seen.aliasesSeen, ...group.aliasesSeen])],
        attribution:
          ATTRIBUTION_ORDER.indexOf(group.attribution) < ATTRIBUTION_ORDER.indexOf(seen.attribution)
            ? group.attribution
            : seen.attribution,
      });
  }
  return { ...incident, perpetratorGroups: [...byId.values()] };
}

/** Group ids whose incidents count for `groupId`: itself and what was merged into it. */
export async function idsCountingAs(db: Kysely<Database>, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_decisions')
    .select('group_id')
    .where('into_group_id', '=', groupId)
    .where('undone_at', 'is', null)
    .execute();
  return [groupId, ...rows.map((r) => r.group_id)];
}

export async function listDiscoveredGroups(db: Kysely<Database>): Promise<DiscoveredGroup[]> {
  const rows = await db
    .selectFrom('incident_groups')
    .select(['group_id', 'group_name', 'incident_id'])
    .where('group_id', 'like', `${DISCOVERED_PREFIX}%`)
    .orderBy('group_id')
    .execute();
  const decisions = await activeDecisions(db);
  const byId = new Map<string, { names: Map<string, number>; incidents: Set<string> }>();
  for (const r of rows) {
    const entry = byId.get(r.group_id) ?? { names: new Map(), incidents: new Set() };
    entry.names.set(r.group_name, (entry.names.get(r.group_name) ?? 0) + 1);
    entry.incidents.add(r.incident_id);
    byId.set(r.group_id, entry);
  }
  return [...byId].map(([id, e]) => ({
    id,
    names: [...e.names].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n),
    incidents: e.incidents.size,
    decision: decisions.get(id) ?? null,
  }));
}

async function activeDecisions(db: Kysely<Database>): Promise<Map<string, GroupDecision>> {
  const rows = await db.selectFrom('group_decisions').selectAll().where('undone_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.group_id, toDecision(r)]));
}

/** Every decision about a group, undone ones included, oldest first. */
export async function groupDecisionHistory(db: Kysely<Database>, groupId: string): Promise<GroupDecision[]> {
  const rows = await db
    .selectFrom('group_decisions')
    .selectAll()
    .where((eb) => eb.or([eb('group_id', '=', groupId), eb('into_group_id', '=', groupId)]))
    .orderBy('id')
    .execute();
  return rows.map(toDecision);
}

const promotedId = (groupId: string) => groupId.slice(DISCOVERED_PREFIX.length);

/** Records a merge or a promotion. Refused (StoreError `invalid_option`) for a group that is not a
 * discovered one seen in some incident, one already decided, or a merge into an unknown group. */
export async function decideGroup(
  db: Kysely<Database>,
  location: string,
  request: GroupDecisionRequest,
  now: string,
): Promise<GroupDecision> {
  const refuse = (message: string) => new StoreError('invalid_option', message, location);
  if (!request.by.trim()) throw refuse('a decision needs the name of who takes it');
  if (!request.reason.trim()) throw refuse('a decision needs a reason');
  return db.transaction().execute(async (trx) => {
    const names = await trx
      .selectFrom('incident_groups')
      .select(['group_name', 'incident_id'])
      .where('group_id', '=', request.groupId)
      .execute();
    if (!isDiscoveredId(request.groupId) || names.length === 0) {
      throw refuse(`${request.groupId} is not a discovered group (see \`vigil groups --discovered\`)`);
    }
    const current = await trx
      .selectFrom('group_decisions')
      .selectAll()
      .where('group_id', '=', request.groupId)
      .where('undone_at', 'is', null)
      .executeTakeFirst();
    if (current) {
      throw refuse(
        `${request.groupId} was already ${current.kind === 'merge' ? 'merged into' : 'promoted to'} ` +
          `${current.into_group_id} by ${current.decided_by} on ${current.decided_at}; undo that first`,
      );
    }
    let into: string;
    if (request.kind === 'merge') {
      into = request.into;
      const target = await trx.selectFrom('groups').select('id').where('id', '=', into).executeTakeFirst();
      if (!target) throw refuse(`unknown group ${into} (see \`vigil groups\`)`);
    } else {
      into = promotedId(request.groupId);
      const taken = await trx.selectFrom('groups').select('id').where('id', '=', into).executeTakeFirst();
      if (taken) throw refuse(`a group with id ${into} exists already: merge into it instead`);
      const record = await promotedGroup(trx, into, request.name, names);
      if (record.home_countries.length === 0)
        throw refuse(`${request.groupId}: none of its incidents has a country`);
      await trx
        .insertInto('groups')
        .values({
          id: record.id,
          name: record.name,
          ideology: record.ideology,
          parent_id: null,
          home_countries: JSON.stringify(record.home_countries),
          record: JSON.stringify(record),
        })
        .execute();
    }
    const row = await trx
      .insertInto('group_decisions')
      .values({
        kind: request.kind,
        group_id: request.groupId,
        into_group_id: into,
        decided_by: request.by.trim(),
        reason: request.reason.trim(),
        decided_at: now,
        undone_at: null,
        undone_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // What readers made of incidents naming the group is stale.
    await changed(trx, 'incidents');
    return toDecision(row);
  });
}

/** The knowledge-base record a promoted group starts with: its names, and the countries and first
 * year of the incidents it was found in. */
async function promotedGroup(
  db: Kysely<Database>,
  id: string,
  name: string,
  names: readonly { group_name: string; incident_id: string }[],
): Promise<ArmedGroup> {
  const incidents = await db
    .selectFrom('incidents')
    .select(['country', 'date'])
    .where('id', 'in', [...new Set(names.map((n) => n.incident_id))])
    .execute();
  const countries = [...new Set(incidents.flatMap((i) => (i.country ? [i.country] : [])))].sort();
  const years = incidents.flatMap((i) => (i.date ? [Number(i.date.slice(0, 4))] : []));
  return {
    id,
    name,
    aliases: [...new Set(names.map((n) => n.group_name))].filter((n) => n !== name),
    ideology: 'other',
    parent: null,
    relations: [],
    adversaries: [],
    media_arms: [],
    home_countries: countries,
    active_from: years.length > 0 ? Math.min(...years) : null,
    active_to: null,
    designations: [],
  };
}

/** Undoes the decision in force about a discovered group; a promotion's group is removed with it. */
export async function undoGroupDecision(
  db: Kysely<Database>,
  location: string,
  groupId: string,
  by: string,
  now: string,
): Promise<GroupDecision> {
  if (!by.trim())
    throw new StoreError('invalid_option', 'undoing a decision needs the name of who does it', location);
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('group_decisions')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('undone_at', 'is', null)
      .executeTakeFirst();
    if (!current)
      throw new StoreError('invalid_option', `no merge or promotion of ${groupId} is in force`, location);
    const row = await trx
      .updateTable('group_decisions')
      .set({ undone_at: now, undone_by: by.trim() })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (current.kind === 'promote') {
      const merged = await trx
        .selectFrom('group_decisions')
        .select('group_id')
        .where('into_group_id', '=', current.into_group_id)
        .where('undone_at', 'is', null)
        .where('id', '<>', current.id)
        .execute();
      if (merged.length > 0) {
        throw new StoreError(
          'invalid_option',
          `${merged.map((m) => m.group_id).join(', ')} merged into ${current.into_group_id}: undo those first`,
          location,
        );
      }
      await trx.deleteFrom('groups').where('id', '=', current.into_group_id).execute();
    }
    // What readers made of incidents naming the group is stale.
    await changed(trx, 'incidents');
    return toDecision(row);
  });
}
