/** GTD attack types. */
export const ATTACK_TYPES = [
  'assassination',
  'armed_assault',
  'bombing_explosion',
  'hijacking',
  'hostage_barricade',
  'hostage_kidnapping',
  'facility_infrastructure',
  'unarmed_assault',
  'unknown',
] as const;
export type AttackType = (typeof ATTACK_TYPES)[number];

/** GTD target types (22). */
export const TARGET_TYPES = [
  'business',
  'government_general',
  'police',
  'military',
  'abortion_related',
  'airports_aircraft',
  'government_diplomatic',
  'educational_institution',
  'food_water_supply',
  'journalists_media',
  'maritime',
  'ngo',
  'other',
  'private_citizens_property',
  'religious_figures_institutions',
  'telecommunication',
  'terrorists_non_state_militia',
  'tourists',
  'transportation',
  'unknown',
  'utilities',
  'violent_political_party',
] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** GTD weapon types. */
export const WEAPON_TYPES = [
  'biological',
  'chemical',
  'radiological',
  'nuclear',
  'firearms',
  'explosives',
  'fake_weapons',
  'incendiary',
  'melee',
  'vehicle',
  'sabotage_equipment',
  'other',
  'unknown',
] as const;
export type WeaponType = (typeof WEAPON_TYPES)[number];

export const OUTCOMES = ['carried_out', 'attempted', 'foiled'] as const;
/** Whether an attack happened as planned: GTD's success flag, with foiled attacks told apart. */
export type Outcome = (typeof OUTCOMES)[number];

export const ATTRIBUTIONS = ['claimed', 'identified', 'suspected', 'denied'] as const;
/** How a group is tied to an incident, strongest first. */
export type Attribution = (typeof ATTRIBUTIONS)[number];

/** The text that proves a field: where it is in which document, and the whole sentence around it. */
export interface Evidence {
  readonly documentId: string;
  /** Character offsets of the matched text in the document text (end exclusive). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly sentence: string;
}

/** A value with the evidence for it. `inferred` is true when no word of the text states the value (a
 * country taken from a city, a type a learned scorer chose from the whole text); the evidence is then
 * what it was inferred from. */
export interface Field<T> {
  readonly value: T;
  readonly evidence: readonly Evidence[];
  readonly inferred: boolean;
}

/** A figure as reported: "at least 4" → {value 4, min 4, max null}; "dozens" → {value null, min 24, max 99}. */
export interface Count {
  readonly value: number | null;
  readonly min: number;
  readonly max: number | null;
  readonly qualifier: 'exact' | 'at_least' | 'more_than' | 'approximately' | 'at_most' | 'range';
}

export interface DateValue {
  /** ISO date (YYYY-MM-DD); for month or year precision the first day of the period. */
  readonly date: string;
  readonly precision: 'day' | 'month' | 'year';
  /** The text gives no date: this is the day the report was published, standing for the few days up
   * to it (news of an attack that says neither when nor "on Friday" is news of the last days). Kept
   * so that reports can be compared; resolution treats it as a window and prefers any stated date. */
  readonly approximate?: true;
}

export interface PlaceValue {
  readonly city: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly precision: 'city' | 'country';
}

export interface PerpetratorGroup {
  /** Knowledge-base id of the group, or `discovered:<name>` for a group it does not know. */
  readonly groupId: string;
  /** The alias as written where the attribution is stated. */
  readonly alias: string;
  /** Every way the document writes the group ("Islamic State Khorasan Province", "ISKP"). */
  readonly aliasesSeen: readonly string[];
  readonly attribution: Attribution;
  /** Not in the knowledge base: a name found in the text, its id `discovered:<name>`. */
  readonly discovered: boolean;
}

/** What one document says about one incident, before merging with other reports. */
export interface IncidentDraft {
  readonly documentId: string;
  /** Position of this draft among the document's drafts, in text order. */
  readonly ordinal: number;
  readonly date: Field<DateValue> | null;
  readonly place: Field<PlaceValue> | null;
  readonly attackTypes: readonly Field<AttackType>[];
  readonly weaponTypes: readonly Field<WeaponType>[];
  readonly targetTypes: readonly Field<TargetType>[];
  readonly targetText: readonly Field<string>[];
  readonly perpetrators: readonly Field<PerpetratorGroup>[];
  readonly perpetratorsCount: Field<Count> | null;
  readonly perpetratorNationalities: readonly Field<string>[];
  /** The attackers as the text names or describes them ("urban guerrillas", "Ibrahim El Bakraoui"). */
  readonly perpetratorText: readonly Field<string>[];
  /** The victims as the text names or describes them ("mayor Armansio Quispe", "two peasants"). */
  readonly victimText: readonly Field<string>[];
  /** Weapons as the text names them ("car bomb", "dynamite"). */
  readonly weaponText: readonly Field<string>[];
  /** Target phrases that name things rather than people ("concert hall", "power pylons"). */
  readonly physicalTargetText: readonly Field<string>[];
  readonly killed: Field<Count> | null;
  readonly wounded: Field<Count> | null;
  /** People taken hostage or kidnapped. */
  readonly kidnapped: Field<Count> | null;
  /** Attackers killed, counted apart from victims as GTD does. */
  readonly perpetratorsKilled: Field<Count> | null;
  /** A suicide attack, with the words that say so; null when nothing says it was. */
  readonly suicide: Field<true> | null;
  /** Null when the attack was carried out as far as the text says. */
  readonly outcome: Field<Exclude<Outcome, 'carried_out'>> | null;
}
