/**
 * The coders' labels as Vigil's codes: GTD's attack, target and weapon type names, RAND's weapon
 * names, and country names (with the historical ones GTD and RAND use) as ISO 3166-1 alpha-2.
 */
import type { AttackType, TargetType, WeaponType } from '../../extract/index.js';
import { loadCountries } from '../../knowledge/places.js';

const ATTACK: Readonly<Record<string, AttackType>> = {
  assassination: 'assassination',
  'armed assault': 'armed_assault',
  'bombing/explosion': 'bombing_explosion',
  hijacking: 'hijacking',
  'hostage taking (barricade incident)': 'hostage_barricade',
  'hostage taking (kidnapping)': 'hostage_kidnapping',
  'facility/infrastructure attack': 'facility_infrastructure',
  'unarmed assault': 'unarmed_assault',
  unknown: 'unknown',
};

const TARGET: Readonly<Record<string, TargetType>> = {
  business: 'business',
  'government (general)': 'government_general',
  police: 'police',
  military: 'military',
  'abortion related': 'abortion_related',
  'airports & aircraft': 'airports_aircraft',
  'government (diplomatic)': 'government_diplomatic',
  'educational institution': 'educational_institution',
  'food or water supply': 'food_water_supply',
  'journalists & media': 'journalists_media',
  maritime: 'maritime',
  ngo: 'ngo',
  other: 'other',
  'private citizens & property': 'private_citizens_property',
  'religious figures/institutions': 'religious_figures_institutions',
  telecommunication: 'telecommunication',
  'terrorists/non-state militia': 'terrorists_non_state_militia',
  tourists: 'tourists',
  transportation: 'transportation',
  unknown: 'unknown',
  utilities: 'utilities',
  'violent political party': 'violent_political_party',
};

const WEAPON: Readonly<Record<string, WeaponType>> = {
  biological: 'biological',
  chemical: 'chemical',
  radiological: 'radiological',
  nuclear: 'nuclear',
  firearms: 'firearms',
  explosives: 'explosives',
  'explosives/bombs/dynamite': 'explosives',
  'fake weapons': 'fake_weapons',
  incendiary: 'incendiary',
  melee: 'melee',
  'vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)': 'vehicle',
  vehicle: 'vehicle',
  'sabotage equipment': 'sabotage_equipment',
  other: 'other',
  unknown: 'unknown',
  // RAND's names.
  'fire or firebomb': 'incendiary',
  'remote-detonated explosive': 'explosives',
  'knives & sharp objects': 'melee',
  'chemical agent': 'chemical',
  'biological agent': 'biological',
};

const key = (label: string) => label.trim().toLowerCase();

export const attackCode = (label: string | null): AttackType | null =>
  label ? (ATTACK[key(label)] ?? null) : null;
export const targetCode = (label: string | null): TargetType | null =>
  label ? (TARGET[key(label)] ?? null) : null;
export const weaponCode = (label: string | null): WeaponType | null =>
  label ? (WEAPON[key(label)] ?? null) : null;

/** Country names the coders use that no current country carries, as the ISO code of the territory
 * today (West Germany → DE); names of states that split into several (Yugoslavia, the Soviet Union)
 * have no single code and are not scored. */
const HISTORICAL: Readonly<Record<string, string>> = {
  'west germany (frg)': 'DE',
  'east germany (gdr)': 'DE',
  'west germany': 'DE',
  'northern ireland': 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'west bank and gaza strip': 'PS',
  'west bank': 'PS',
  'gaza strip': 'PS',
  gaza: 'PS',
  zaire: 'CD',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  "people's republic of the congo": 'CG',
  rhodesia: 'ZW',
  'south vietnam': 'VN',
  'north yemen': 'YE',
  'south yemen': 'YE',
  'east timor': 'TL',
  burma: 'MM',
  'ivory coast': 'CI',
  swaziland: 'SZ',
  macedonia: 'MK',
  'bosnia-herzegovina': 'BA',
  corsica: 'FR',
  kosovo: 'XK',
  'vatican city': 'VA',
  'hong kong': 'HK',
  international: '',
  // RAND's.
  'west bank/gaza': 'PS',
  chechnya: 'RU',
  'fry (kosovo)': 'XK',
  'fry (serbia)': 'RS',
  'fry (southern serbia)': 'RS',
  'fry (montenegro)': 'ME',
  'burma (myanmar)': 'MM',
  'korea, south': 'KR',
  "china, people's republic of": 'CN',
  'china, republic of (taiwan)': 'TW',
  'zimbabwe (rhodesia)': 'ZW',
  'zaire (belgian congo)': 'CD',
  'german democratic republic': 'DE',
  'congo (kinshasa)': 'CD',
  'congo (brazzaville)': 'CG',
  'papua-new guinea': 'PG',
  'canary islands': 'ES',
  azores: 'PT',
  'sri lanka (ceylon)': 'LK',
  'trinidad-tobago': 'TT',
  'namibia, swaf': 'NA',
  'benin, dahomey': 'BJ',
  transkei: 'ZA',
  'trucial oman states': 'AE',
  // Split since, or across borders: no one code.
  kashmir: '',
  yugoslavia: '',
  fry: '',
  'serbia-montenegro': '',
  czechoslovakia: '',
  'soviet union': '',
  croatians: '',
};

let byName: Map<string, string> | undefined;

/** ISO 3166-1 alpha-2 of a coder's country name, or null when it names no one country. */
export function countryCode(name: string | null): string | null {
  if (!name) return null;
  if (!byName) {
    byName = new Map();
    for (const c of loadCountries()) for (const n of [c.name, ...c.names]) byName.set(key(n), c.code);
  }
  const k = key(name);
  const historical = HISTORICAL[k];
  if (historical !== undefined) return historical === '' ? null : historical;
  return byName.get(k) ?? byName.get(k.replace(/^the /, '')) ?? null;
}
