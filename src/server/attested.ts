import type { Count } from '../extract/index.js';
import type { Incident, IncidentEvidence } from '../resolve/index.js';

/* An incident merged from several reports takes each value from one of them (the latest toll, the
 * most precise date…). When the caller may not see some of those reports, a value may have come
 * from a hidden one: keep only the values the evidence they may see supports, and drop the rest,
 * rather than leak what an AMBER or RED report said through a CLEAR incident. */

const countText = (c: Count) => String(c.value ?? `${c.min}-${c.max ?? ''}`);

/** The incident with only the values that `evidence` (what the caller may see) supports. */
export function attestedOnly(incident: Incident, evidence: readonly IncidentEvidence[]): Incident {
  const said = new Map<string, Set<string>>();
  for (const e of evidence) said.set(e.field, (said.get(e.field) ?? new Set()).add(e.value));
  const has = (field: IncidentEvidence['field'], value: string) => said.get(field)?.has(value) ?? false;
  const keep = <T>(field: IncidentEvidence['field'], values: readonly T[]) =>
    values.filter((v) => has(field, String(v)));
  const count = (field: IncidentEvidence['field'], c: Count | null) =>
    c && has(field, countText(c)) ? c : null;
  const placed = incident.country !== null && has('country', incident.country);
  const town = placed && incident.city !== null && has('city', incident.city);
  const targetText = keep('target_text', incident.targetText);
  const groups = incident.perpetratorGroups.filter((g) => has('perpetrator_groups', g.group));
  const sentences = evidence.map((e) => e.sentence.toLowerCase()).join('\n');
  return {
    ...incident,
    date: incident.date && has('date', incident.date.date) ? incident.date : null,
    country: placed ? incident.country : null,
    city: town ? incident.city : null,
    lat: placed ? incident.lat : null,
    lon: placed ? incident.lon : null,
    placePrecision: town ? 'city' : placed ? 'country' : null,
    attackTypes: keep('attack_types', incident.attackTypes),
    weaponTypes: keep('weapon_types', incident.weaponTypes),
    targetTypes: keep('target_types', incident.targetTypes),
    targetText,
    physicalTargetText: incident.physicalTargetText.filter((t) => targetText.includes(t)),
    perpetratorGroups: groups.map((g) => ({
      ...g,
      aliasesSeen: g.aliasesSeen.filter((a) => sentences.includes(a.toLowerCase())),
    })),
    perpetratorsMin:
      incident.perpetratorsMin !== null && has('perpetrators_min', String(incident.perpetratorsMin))
        ? incident.perpetratorsMin
        : null,
    perpetratorsMax: null,
    perpetratorNationalities: keep('perpetrator_nationalities', incident.perpetratorNationalities),
    perpetratorText: keep('perpetrator_text', incident.perpetratorText),
    victimText: keep('victim_text', incident.victimText),
    weaponText: keep('weapon_text', incident.weaponText),
    killed: count('killed', incident.killed),
    wounded: count('wounded', incident.wounded),
    kidnapped: count('kidnapped', incident.kidnapped),
    perpetratorsKilled: count('perpetrators_killed', incident.perpetratorsKilled),
    suicide: incident.suicide && (said.get('suicide')?.size ?? 0) > 0,
    outcome: has('outcome', incident.outcome) ? incident.outcome : 'carried_out',
    evidence,
  };
}
