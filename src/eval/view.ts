/**
 * Vigil's incident records seen as MUC-4 GTT templates: the shape `vigil extract --muc4` writes and
 * `vigil eval muc4` scores. A view of the same `Incident`s Vigil stores, not a second extractor.
 */
import type { AttackType } from '../extract/index.js';
import type { Incident } from '../resolve/index.js';
import { normaliseMention } from './scores.js';
import type { Muc4Entity, Muc4Template } from './types.js';

/** The MUC-4 incident type of a GTD attack type. */
export function muc4IncidentType(attackType: AttackType | undefined): string {
  switch (attackType) {
    case 'bombing_explosion':
      return 'bombing';
    case 'hostage_kidnapping':
    case 'hostage_barricade':
      return 'kidnapping';
    case 'facility_infrastructure':
      return 'arson';
    default:
      return 'attack';
  }
}

/**
 * One entity per group of mentions, keeping each mention (as written) only the first time its
 * normalised form appears in the role; mentions that normalise to nothing and entities left with no
 * mention are dropped.
 */
function roleEntities(groups: readonly (readonly string[])[]): Muc4Entity[] {
  const seen = new Set<string>();
  const out: Muc4Entity[] = [];
  for (const group of groups) {
    const entity: string[] = [];
    for (const mention of group) {
      const key = normaliseMention(mention);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      entity.push(mention);
    }
    if (entity.length > 0) out.push(entity);
  }
  return out;
}

/** One incident as a GTT template. */
export function muc4Template(incident: Incident): Muc4Template {
  return {
    incident_type: muc4IncidentType(incident.attackTypes[0]),
    PerpInd: roleEntities(incident.perpetratorText.map((t) => [t])),
    PerpOrg: roleEntities(incident.perpetratorGroups.map((g) => g.aliasesSeen)),
    Target: roleEntities(incident.physicalTargetText.map((t) => [t])),
    Victim: roleEntities(incident.victimText.map((t) => [t])),
    Weapon: roleEntities(incident.weaponText.map((t) => [t])),
  };
}

/**
 * Vigil's incidents as GTT templates, one per incident in the same order:
 * - incident_type from the first attack type (bombing_explosion → bombing, hostage_kidnapping and
 *   hostage_barricade → kidnapping, facility_infrastructure → arson, anything else → attack);
 * - PerpOrg: one entity per perpetrator group, its mentions every alias the text used for it;
 * - PerpInd, Target, Victim, Weapon: one entity per `perpetratorText`, `physicalTargetText`,
 *   `victimText` and `weaponText` string.
 * Mention strings are taken as written; within a role a mention whose normalised form was already
 * used is left out.
 */
export function muc4Templates(incidents: readonly Incident[]): Muc4Template[] {
  return incidents.map(muc4Template);
}
