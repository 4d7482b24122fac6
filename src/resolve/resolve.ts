import { createHash } from 'node:crypto';
import type { Evidence, Field, IncidentDraft } from '../extract/index.js';
import type { ArmedGroup } from '../knowledge/groups.js';
import { countryByCode } from '../knowledge/places.js';
import type { EvidencedField, Incident, IncidentEvidence, IncidentGroup } from './incident.js';

/** Stable id of the incident first reported as a document's n-th draft. */
export function incidentId(documentId: string, ordinal: number): string {
  return createHash('sha256').update(`${documentId}:${ordinal}`).digest('hex').slice(0, 16);
}

function evidenceFor<T>(
  field: EvidencedField,
  f: Field<T> | null,
  show: (v: T) => string,
): IncidentEvidence[] {
  if (!f) return [];
  return f.evidence.map((e: Evidence) => ({ ...e, field, value: show(f.value), inferred: f.inferred }));
}

const all = <T>(field: EvidencedField, fs: readonly Field<T>[], show: (v: T) => string) =>
  fs.flatMap((f) => evidenceFor(field, f, show));

/** Links a draft to the knowledge base (group names) and the map (country centroid when no town is
 * known), and flattens its evidence into one list an analyst can read field by field. */
export function resolveDraft(draft: IncidentDraft, groups: ReadonlyMap<string, ArmedGroup>): Incident {
  const place = draft.place?.value ?? null;
  const country = place ? countryByCode(place.country) : undefined;
  const lat = place?.lat ?? country?.lat ?? null;
  const lon = place?.lon ?? country?.lon ?? null;
  const perpetratorGroups: IncidentGroup[] = draft.perpetrators.map((p) => {
    const group = groups.get(p.value.groupId);
    const name = group?.name ?? p.value.alias;
    return {
      groupId: p.value.groupId,
      group: name,
      aliasesSeen: p.value.aliasesSeen,
      attribution: p.value.attribution,
      discovered: p.value.discovered,
    };
  });
  const str = String;
  const evidence: IncidentEvidence[] = [
    ...evidenceFor('date', draft.date, (d) => d.date),
    ...evidenceFor('city', draft.place?.value.city ? draft.place : null, (p) => p.city ?? ''),
    ...evidenceFor('country', draft.place, (p) => p.country).map((e) => ({
      ...e,
      inferred: e.inferred || !!place?.city,
    })),
    ...all('attack_types', draft.attackTypes, str),
    ...all('weapon_types', draft.weaponTypes, str),
    ...all('target_types', draft.targetTypes, str),
    ...all('target_text', draft.targetText, str),
    ...all('perpetrator_groups', draft.perpetrators, (p) => groups.get(p.groupId)?.name ?? p.alias),
    ...evidenceFor('perpetrators_min', draft.perpetratorsCount, (c) => str(c.min)),
    ...all('perpetrator_nationalities', draft.perpetratorNationalities, str),
    ...all('perpetrator_text', draft.perpetratorText, str),
    ...all('victim_text', draft.victimText, str),
    ...all('weapon_text', draft.weaponText, str),
    ...evidenceFor('killed', draft.killed, (c) => str(c.value ?? `${c.min}-${c.max ?? ''}`)),
    ...evidenceFor('wounded', draft.wounded, (c) => str(c.value ?? `${c.min}-${c.max ?? ''}`)),
    ...evidenceFor('kidnapped', draft.kidnapped, (c) => str(c.value ?? `${c.min}-${c.max ?? ''}`)),
    ...evidenceFor('perpetrators_killed', draft.perpetratorsKilled, (c) =>
      str(c.value ?? `${c.min}-${c.max ?? ''}`),
    ),
    ...evidenceFor('suicide', draft.suicide, str),
    ...evidenceFor('outcome', draft.outcome, str),
  ];
  return {
    id: incidentId(draft.documentId, draft.ordinal),
    date: draft.date?.value ?? null,
    country: place?.country ?? null,
    city: place?.city ?? null,
    lat,
    lon,
    placePrecision: place ? place.precision : null,
    attackTypes: draft.attackTypes.length > 0 ? draft.attackTypes.map((f) => f.value) : ['unknown'],
    weaponTypes: draft.weaponTypes.length > 0 ? draft.weaponTypes.map((f) => f.value) : ['unknown'],
    targetTypes: draft.targetTypes.length > 0 ? draft.targetTypes.map((f) => f.value) : ['unknown'],
    targetText: draft.targetText.map((f) => f.value),
    perpetratorGroups,
    perpetratorsMin: draft.perpetratorsCount?.value.min ?? null,
    perpetratorsMax: draft.perpetratorsCount?.value.max ?? null,
    perpetratorNationalities: draft.perpetratorNationalities.map((f) => f.value),
    perpetratorText: draft.perpetratorText.map((f) => f.value),
    victimText: draft.victimText.map((f) => f.value),
    weaponText: draft.weaponText.map((f) => f.value),
    physicalTargetText: draft.physicalTargetText.map((f) => f.value),
    killed: draft.killed?.value ?? null,
    wounded: draft.wounded?.value ?? null,
    kidnapped: draft.kidnapped?.value ?? null,
    perpetratorsKilled: draft.perpetratorsKilled?.value ?? null,
    suicide: draft.suicide !== null,
    outcome: draft.outcome?.value ?? 'carried_out',
    sources: [draft.documentId],
    evidence,
  };
}
