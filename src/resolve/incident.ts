import type {
  AttackType,
  Attribution,
  Count,
  DateValue,
  Evidence,
  Outcome,
  TargetType,
  WeaponType,
} from '../extract/index.js';

/** Fields of an incident that carry evidence; the names are those of `vigil incidents --json`. */
export type EvidencedField =
  | 'date'
  | 'city'
  | 'country'
  | 'attack_types'
  | 'weapon_types'
  | 'target_types'
  | 'target_text'
  | 'perpetrator_groups'
  | 'perpetrators_min'
  | 'perpetrator_nationalities'
  | 'perpetrator_text'
  | 'victim_text'
  | 'weapon_text'
  | 'killed'
  | 'wounded'
  | 'kidnapped'
  | 'perpetrators_killed'
  | 'suicide'
  | 'outcome';

/** One piece of evidence for one value of one field. */
export interface IncidentEvidence extends Evidence {
  readonly field: EvidencedField;
  /** The value this evidence supports, as text ("2024-03-22", "RU", "armed_assault", "139"). */
  readonly value: string;
  readonly inferred: boolean;
}

export interface IncidentGroup {
  readonly groupId: string;
  /** Canonical name from the knowledge base. */
  readonly group: string;
  /** Every alias the sources used for the group ("ISKP"). */
  readonly aliasesSeen: readonly string[];
  readonly attribution: Attribution;
  /** A name the knowledge base does not know (id `discovered:<name>`), until an analyst merges or
   * promotes it. */
  readonly discovered: boolean;
}

/** A resolved incident: groups linked to the knowledge base, the place given coordinates. */
export interface Incident {
  /** Stable id derived from the first report and the draft's position in it. */
  readonly id: string;
  readonly date: DateValue | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly placePrecision: 'city' | 'country' | null;
  readonly attackTypes: readonly AttackType[];
  readonly weaponTypes: readonly WeaponType[];
  readonly targetTypes: readonly TargetType[];
  readonly targetText: readonly string[];
  readonly perpetratorGroups: readonly IncidentGroup[];
  readonly perpetratorsMin: number | null;
  readonly perpetratorsMax: number | null;
  readonly perpetratorNationalities: readonly string[];
  readonly perpetratorText: readonly string[];
  readonly victimText: readonly string[];
  readonly weaponText: readonly string[];
  /** The part of `targetText` that names things rather than people. */
  readonly physicalTargetText: readonly string[];
  readonly killed: Count | null;
  readonly wounded: Count | null;
  readonly kidnapped: Count | null;
  /** Attackers killed, apart from the victims. */
  readonly perpetratorsKilled: Count | null;
  readonly suicide: boolean;
  readonly outcome: Outcome;
  /** Ids of the documents that report this incident. */
  readonly sources: readonly string[];
  readonly evidence: readonly IncidentEvidence[];
}

/** An incident known only by its id and sources: every nullable field null, every list empty. */
export function blankIncident(id: string, sources: readonly string[]): Incident {
  return {
    id,
    date: null,
    country: null,
    city: null,
    lat: null,
    lon: null,
    placePrecision: null,
    attackTypes: [],
    weaponTypes: [],
    targetTypes: [],
    targetText: [],
    perpetratorGroups: [],
    perpetratorsMin: null,
    perpetratorsMax: null,
    perpetratorNationalities: [],
    perpetratorText: [],
    victimText: [],
    weaponText: [],
    physicalTargetText: [],
    killed: null,
    wounded: null,
    kidnapped: null,
    perpetratorsKilled: null,
    suicide: false,
    outcome: 'carried_out',
    sources,
    evidence: [],
  };
}
