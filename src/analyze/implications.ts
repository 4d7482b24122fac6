import type { Incident, IncidentEvidence } from '../resolve/index.js';
import {
  attributedGroups,
  chronological,
  countOf,
  evidenceFor,
  type Knowledge,
  sortedSet,
} from './common.js';

export type ImplicationKind = 'attacker_nationality' | 'group_home';

/** A link between two countries that an attack creates: the attackers' country or the group's home
 * (`from`) and the country attacked (`to`). */
export interface CountryLink {
  readonly kind: ImplicationKind;
  readonly from: string;
  readonly to: string;
  readonly incidents: readonly string[];
  readonly groups: readonly string[];
  readonly killed: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  /** Evidence of the nationalities (attacker_nationality) or the groups (group_home) and the country. */
  readonly evidence: readonly IncidentEvidence[];
}

/** The country-pair links of one incident: nationality → country for attackers from another country,
 * and home → country for each group attacking outside its home countries. */
export function implicationsOf(incident: Incident, knowledge: Knowledge): CountryLink[] {
  const to = incident.country;
  if (to === null) return [];
  const links: CountryLink[] = [];
  const groups = attributedGroups(incident);
  const base = {
    to,
    incidents: [incident.id],
    killed: countOf(incident.killed),
    firstDate: incident.date?.date ?? null,
    lastDate: incident.date?.date ?? null,
  };
  for (const from of sortedSet(incident.perpetratorNationalities)) {
    if (from === to) continue;
    links.push({
      ...base,
      kind: 'attacker_nationality',
      from,
      groups: sortedSet(groups.map((g) => g.groupId)),
      evidence: evidenceFor(incident, ['perpetrator_nationalities', 'country', 'city']),
    });
  }
  for (const g of groups) {
    const home = knowledge.groups.get(g.groupId)?.home_countries ?? [];
    if (home.includes(to)) continue;
    for (const from of home) {
      links.push({
        ...base,
        kind: 'group_home',
        from,
        groups: [g.groupId],
        evidence: evidenceFor(incident, ['perpetrator_groups', 'country', 'city']),
      });
    }
  }
  return links;
}

/** Every incident's links, merged by kind and country pair (incidents in date order). */
export function countryLinks(incidents: readonly Incident[], knowledge: Knowledge): CountryLink[] {
  const merged = new Map<string, CountryLink>();
  const undated = incidents.filter((i) => i.date === null);
  for (const incident of [...chronological(incidents), ...undated]) {
    for (const link of implicationsOf(incident, knowledge)) {
      const key = `${link.kind}|${link.from}|${link.to}`;
      const old = merged.get(key);
      merged.set(
        key,
        old === undefined
          ? link
          : {
              ...old,
              incidents: [...old.incidents, ...link.incidents],
              groups: sortedSet([...old.groups, ...link.groups]),
              killed: old.killed + link.killed,
              firstDate: old.firstDate ?? link.firstDate,
              lastDate: link.lastDate ?? old.lastDate,
              evidence: [...old.evidence, ...link.evidence],
            },
      );
    }
  }
  return [...merged.values()].sort(
    (a, b) =>
      cmp(a.kind, b.kind) ||
      b.incidents.length - a.incidents.length ||
      cmp(a.from, b.from) ||
      cmp(a.to, b.to),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
