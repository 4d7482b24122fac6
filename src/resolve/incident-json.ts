import type { Incident } from './incident.js';

/** The public JSON shape of an incident (CLI `--json`, REST): GTD-style snake_case names, as in
 * the founding example's expected record. */
export function incidentJson(i: Incident) {
  return {
    id: i.id,
    date: i.date?.date ?? null,
    date_precision: i.date?.precision ?? null,
    country: i.country,
    city: i.city,
    lat: i.lat,
    lon: i.lon,
    place_precision: i.placePrecision,
    attack_types: i.attackTypes,
    weapon_types: i.weaponTypes,
    target_types: i.targetTypes,
    target_text: i.targetText,
    perpetrator_groups: i.perpetratorGroups.map((g) => ({
      group: g.group,
      group_id: g.groupId,
      aliases_seen: g.aliasesSeen,
      attribution: g.attribution,
      discovered: g.discovered,
    })),
    perpetrators_min: i.perpetratorsMin,
    perpetrators_max: i.perpetratorsMax,
    perpetrator_nationalities: i.perpetratorNationalities,
    perpetrator_text: i.perpetratorText,
    victim_text: i.victimText,
    weapon_text: i.weaponText,
    physical_target_text: i.physicalTargetText,
    killed: i.killed,
    wounded: i.wounded,
    kidnapped: i.kidnapped,
    perpetrators_killed: i.perpetratorsKilled,
    suicide: i.suicide,
    outcome: i.outcome,
    sources: i.sources,
    evidence: i.evidence.map(evidenceJson),
  };
}

/** A piece of evidence as the API and exports spell it. */
export function evidenceJson(e: Incident['evidence'][number]) {
  return {
    field: e.field,
    value: e.value,
    inferred: e.inferred,
    document_id: e.documentId,
    start: e.start,
    end: e.end,
    text: e.text,
    sentence: e.sentence,
  };
}

export type IncidentJson = ReturnType<typeof incidentJson>;
