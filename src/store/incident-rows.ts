import type { AttackType, Attribution, Count, TargetType, WeaponType } from '../extract/index.js';
import type { EvidencedField, Incident, IncidentEvidence, IncidentGroup } from '../resolve/index.js';
import { isDiscoveredId } from './group-decisions.js';
import type { EvidenceRow, IncidentGroupRow, IncidentRow } from './schema.js';

/** Pure mapping between an Incident and its rows; the queries live in `incidents.ts`. */

export interface NewIncidentRows {
  /** Without its audience, which comes from its documents (src/store/audience.ts). */
  readonly incident: Omit<IncidentRow, 'audience' | 'mixed'>;
  readonly groups: readonly IncidentGroupRow[];
  /** Without ids: the database numbers evidence in insertion order. */
  readonly evidence: readonly Omit<EvidenceRow, 'id'>[];
}

export function incidentToRows(incident: Incident, createdAt: string): NewIncidentRows {
  return {
    incident: {
      id: incident.id,
      date: incident.date?.date ?? null,
      date_precision: incident.date?.precision ?? null,
      country: incident.country,
      city: incident.city,
      lat: incident.lat,
      lon: incident.lon,
      place_precision: incident.placePrecision,
      attack_types: JSON.stringify(incident.attackTypes),
      weapon_types: JSON.stringify(incident.weaponTypes),
      target_types: JSON.stringify(incident.targetTypes),
      target_text: JSON.stringify(incident.targetText),
      perpetrator_nationalities: JSON.stringify(incident.perpetratorNationalities),
      perpetrator_text: JSON.stringify(incident.perpetratorText),
      victim_text: JSON.stringify(incident.victimText),
      weapon_text: JSON.stringify(incident.weaponText),
      physical_target_text: JSON.stringify(incident.physicalTargetText),
      perpetrators_min: incident.perpetratorsMin,
      perpetrators_max: incident.perpetratorsMax,
      ...countColumns('killed', incident.killed),
      ...countColumns('wounded', incident.wounded),
      ...countColumns('kidnapped', incident.kidnapped),
      ...countColumns('perpetrators_killed', incident.perpetratorsKilled),
      suicide: incident.suicide ? 1 : 0,
      outcome: incident.outcome,
      created_at: createdAt,
      primary_group: incident.perpetratorGroups[0]?.group ?? null,
    },
    groups: incident.perpetratorGroups.map((g, position) => ({
      incident_id: incident.id,
      group_id: g.groupId,
      group_name: g.group,
      aliases_seen: JSON.stringify(g.aliasesSeen),
      attribution: g.attribution,
      position,
    })),
    evidence: incident.evidence.map((e) => ({
      incident_id: incident.id,
      field: e.field,
      value: e.value,
      document_id: e.documentId,
      start_offset: e.start,
      end_offset: e.end,
      text: e.text,
      sentence: e.sentence,
      inferred: e.inferred ? 1 : 0,
    })),
  };
}

function countColumns<P extends 'killed' | 'wounded' | 'kidnapped' | 'perpetrators_killed'>(
  prefix: P,
  count: Count | null,
) {
  return {
    [`${prefix}_value`]: count?.value ?? null,
    [`${prefix}_min`]: count?.min ?? null,
    [`${prefix}_max`]: count?.max ?? null,
    [`${prefix}_qualifier`]: count?.qualifier ?? null,
  } as Record<`${P}_value` | `${P}_min` | `${P}_max`, number | null> &
    Record<`${P}_qualifier`, string | null>;
}

/** The rows that belong to one incident, in stored order (groups by position, evidence by id). */
export interface IncidentRows {
  readonly incident: Omit<IncidentRow, 'audience' | 'mixed'>;
  readonly groups: readonly IncidentGroupRow[];
  readonly evidence: readonly EvidenceRow[];
  readonly sources: readonly string[];
}

export function rowsToIncident({ incident: row, groups, evidence, sources }: IncidentRows): Incident {
  return {
    id: row.id,
    date:
      row.date === null
        ? null
        : {
            date: row.date,
            precision: (row.date_precision ?? 'day') as NonNullable<Incident['date']>['precision'],
          },
    country: row.country,
    city: row.city,
    lat: row.lat,
    lon: row.lon,
    placePrecision: row.place_precision as Incident['placePrecision'],
    attackTypes: parseArray<AttackType>(row.attack_types),
    weaponTypes: parseArray<WeaponType>(row.weapon_types),
    targetTypes: parseArray<TargetType>(row.target_types),
    targetText: parseArray<string>(row.target_text),
    perpetratorGroups: groups.map(rowToGroup),
    perpetratorsMin: row.perpetrators_min,
    perpetratorsMax: row.perpetrators_max,
    perpetratorNationalities: parseArray<string>(row.perpetrator_nationalities),
    perpetratorText: parseArray<string>(row.perpetrator_text),
    victimText: parseArray<string>(row.victim_text),
    weaponText: parseArray<string>(row.weapon_text),
    physicalTargetText: parseArray<string>(row.physical_target_text),
    killed: toCount(row.killed_value, row.killed_min, row.killed_max, row.killed_qualifier),
    wounded: toCount(row.wounded_value, row.wounded_min, row.wounded_max, row.wounded_qualifier),
    kidnapped: toCount(row.kidnapped_value, row.kidnapped_min, row.kidnapped_max, row.kidnapped_qualifier),
    perpetratorsKilled: toCount(
      row.perpetrators_killed_value,
      row.perpetrators_killed_min,
      row.perpetrators_killed_max,
      row.perpetrators_killed_qualifier,
    ),
    suicide: row.suicide === 1,
    outcome: row.outcome as Incident['outcome'],
    sources,
    evidence: evidence.map(rowToEvidence),
  };
}

function rowToGroup(row: IncidentGroupRow): IncidentGroup {
  return {
    groupId: row.group_id,
    group: row.group_name,
    aliasesSeen: parseArray<string>(row.aliases_seen),
    attribution: row.attribution as Attribution,
    discovered: isDiscoveredId(row.group_id),
  };
}

function rowToEvidence(row: EvidenceRow): IncidentEvidence {
  return {
    field: row.field as EvidencedField,
    value: row.value,
    documentId: row.document_id,
    start: row.start_offset,
    end: row.end_offset,
    text: row.text,
    sentence: row.sentence,
    inferred: row.inferred === 1,
  };
}

function toCount(
  value: number | null,
  min: number | null,
  max: number | null,
  qualifier: string | null,
): Count | null {
  if (qualifier === null || min === null) return null;
  return { value, min, max, qualifier: qualifier as Count['qualifier'] };
}

function parseArray<T>(json: string): T[] {
  return JSON.parse(json) as T[];
}
