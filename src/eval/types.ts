/** The five MUC-4 role slots of a GTT template, in the scorers' order. */
export const MUC4_ROLES = ['PerpInd', 'PerpOrg', 'Target', 'Victim', 'Weapon'] as const;
export type Muc4Role = (typeof MUC4_ROLES)[number];

/** The MUC-4 incident types (gold templates may also hold a disjunction such as "attack / bombing"). */
export const MUC4_INCIDENT_TYPES = [
  'attack',
  'bombing',
  'kidnapping',
  'arson',
  'robbery',
  'forced work stoppage',
] as const;

/** An entity: its coreferent mention strings as written in the text. */
export type Muc4Entity = readonly string[];

/** Entities per role. */
export type Muc4Roles = { readonly [R in Muc4Role]: readonly Muc4Entity[] };

/** A GTT template: one incident, its type and its role fillers. */
export interface Muc4Template extends Muc4Roles {
  readonly incident_type: string;
}
