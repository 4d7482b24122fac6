import type { Incident } from '../resolve/index.js';
import type { Clearance, Marking, MarkingLevel, Principal, Role } from '../store/index.js';
import { attestedOnly } from './attested.js';

/* The access rule, in one place. Everything the server returns (REST, search, STIX export, and
 * TAXII, graph and briefs when they come) goes through src/server/service.ts, which filters with
 * these functions; the store's SQL filter (src/store/access.ts `documentVisible`) is the same rule
 * written for the database so that pages are filtered before they are cut.
 *
 * - A document's markings are its holdings: who submitted it under which TLP 2.0 level. A document
 *   with none is TLP:CLEAR (stored by the local CLI).
 * - CLEAR and GREEN: every signed-in caller. AMBER: the owning organisation and the organisations
 *   it shares with. AMBER+STRICT: the owning organisation only. RED: the named recipients only.
 * - A caller sees a document when they see any of its markings; an incident when they see any of
 *   its sources, and then only the sources and evidence from documents they see, and only the
 *   values that evidence supports (src/server/attested.ts). Its marking for
 *   them is the least restrictive of the markings they see: an incident reported only in AMBER
 *   documents is AMBER, one also reported by a CLEAR source is CLEAR. */

const ORDER: readonly MarkingLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const RANK: Readonly<Record<Role, number>> = { viewer: 0, analyst: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}

export function canSeeMarking(c: Clearance, m: Marking): boolean {
  switch (m.tlp) {
    case 'clear':
    case 'green':
      return true;
    case 'amber':
      return m.org !== null && c.amberOrgs.includes(m.org);
    case 'amber+strict':
      return m.org !== null && m.org === c.org;
    case 'red':
      return c.userId !== null && m.recipients.includes(c.userId);
    default:
      return false;
  }
}

/** The caller's marking of a document (the least restrictive they see), or null if they see none. */
export function documentMarking(c: Clearance, markings: readonly Marking[] | undefined): MarkingLevel | null {
  if (markings === undefined || markings.length === 0) return 'clear';
  return leastRestrictive(markings.filter((m) => canSeeMarking(c, m)).map((m) => m.tlp));
}

export function leastRestrictive(levels: readonly MarkingLevel[]): MarkingLevel | null {
  let best: MarkingLevel | null = null;
  for (const level of levels) if (best === null || ORDER.indexOf(level) < ORDER.indexOf(best)) best = level;
  return best;
}

export interface VisibleIncident {
  /** The incident with only the sources and evidence of documents the caller sees. */
  readonly incident: Incident;
  readonly tlp: MarkingLevel;
}

/** The incident as the caller may see it, or null when they see none of its sources. */
export function redactIncident(
  c: Clearance,
  incident: Incident,
  markings: ReadonlyMap<string, readonly Marking[]>,
): VisibleIncident | null {
  const levels = new Map<string, MarkingLevel | null>();
  const level = (id: string) => {
    if (!levels.has(id)) levels.set(id, documentMarking(c, markings.get(id)));
    return levels.get(id) ?? null;
  };
  const sources = incident.sources.filter((id) => level(id) !== null);
  const tlp = leastRestrictive(sources.map((id) => level(id) as MarkingLevel));
  if (tlp === null) return null;
  const evidence = incident.evidence.filter((e) => level(e.documentId) !== null);
  // Every source visible: the merged record is theirs to see. Otherwise only what they may read.
  const fields = sources.length === incident.sources.length ? incident : attestedOnly(incident, evidence);
  return { incident: { ...fields, sources, evidence }, tlp };
}
