import type { Incident } from '../resolve/index.js';
import type { MarkingLevel } from '../store/index.js';

/* Exports of the incidents a caller sees (the service layer hands over only redacted incidents):
 * CSV with the Global Terrorism Database's column names and codes, and GeoJSON (RFC 7946). */

/** GTD's attack, target and weapon types, in the order of their GTD codes (1, 2, …). */
const GTD_ATTACK: Readonly<Record<string, string>> = {
  assassination: 'Assassination',
  armed_assault: 'Armed Assault',
  bombing_explosion: 'Bombing/Explosion',
  hijacking: 'Hijacking',
  hostage_barricade: 'Hostage Taking (Barricade Incident)',
  hostage_kidnapping: 'Hostage Taking (Kidnapping)',
  facility_infrastructure: 'Facility/Infrastructure Attack',
  unarmed_assault: 'Unarmed Assault',
  unknown: 'Unknown',
};
const GTD_TARGET: Readonly<Record<string, string>> = {
  business: 'Business',
  government_general: 'Government (General)',
  police: 'Police',
  military: 'Military',
  abortion_related: 'Abortion Related',
  airports_aircraft: 'Airports & Aircraft',
  government_diplomatic: 'Government (Diplomatic)',
  educational_institution: 'Educational Institution',
  food_water_supply: 'Food or Water Supply',
  journalists_media: 'Journalists & Media',
  maritime: 'Maritime',
  ngo: 'NGO',
  other: 'Other',
  private_citizens_property: 'Private Citizens & Property',
  religious_figures_institutions: 'Religious Figures/Institutions',
  telecommunication: 'Telecommunication',
  terrorists_non_state_militia: 'Terrorists/Non-State Militia',
  tourists: 'Tourists',
  transportation: 'Transportation',
  unknown: 'Unknown',
  utilities: 'Utilities',
  violent_political_party: 'Violent Political Party',
};
const GTD_WEAPON: Readonly<Record<string, string>> = {
  biological: 'Biological',
  chemical: 'Chemical',
  radiological: 'Radiological',
  nuclear: 'Nuclear',
  firearms: 'Firearms',
  explosives: 'Explosives',
  fake_weapons: 'Fake Weapons',
  incendiary: 'Incendiary',
  melee: 'Melee',
  vehicle: 'Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)',
  sabotage_equipment: 'Sabotage Equipment',
  other: 'Other',
  unknown: 'Unknown',
};

const code = (table: Readonly<Record<string, string>>, value: string | undefined) =>
  value === undefined ? '' : Object.keys(table).indexOf(value) + 1 || '';
const text = (table: Readonly<Record<string, string>>, value: string | undefined) =>
  value === undefined ? '' : (table[value] ?? value);

/** GTD columns first (names as in the GTD codebook), then Vigil's own. */
export const CSV_COLUMNS = [
  'eventid',
  'iyear',
  'imonth',
  'iday',
  'country_txt',
  'city',
  'latitude',
  'longitude',
  'specificity',
  'success',
  'suicide',
  'attacktype1',
  'attacktype1_txt',
  'attacktype2',
  'attacktype2_txt',
  'attacktype3',
  'attacktype3_txt',
  'targtype1',
  'targtype1_txt',
  'targtype2',
  'targtype2_txt',
  'targtype3',
  'targtype3_txt',
  'target1',
  'gname',
  'guncertain1',
  'gname2',
  'guncertain2',
  'gname3',
  'guncertain3',
  'claimed',
  'nperps',
  'weaptype1',
  'weaptype1_txt',
  'weaptype2',
  'weaptype2_txt',
  'weapdetail',
  'nkill',
  'nkillter',
  'nwound',
  'nhostkid',
  'scite1',
  'scite2',
  'scite3',
  'dbsource',
  'vigil_id',
  'country_code',
  'tlp',
] as const;

type Cell = string | number | null;

export interface ExportRow {
  readonly incident: Incident;
  readonly tlp: MarkingLevel;
  readonly countryName: string | null;
  /** Citations of the visible sources (title, outlet, date, URL), oldest first. */
  readonly citations: readonly string[];
}

/** A count's value, or its lower bound when it is a range. */
export const countValue = (c: Incident['killed']) => (c === null ? null : (c.value ?? c.min));

/** One GTD-style row of an incident. */
export function gtdRow(row: ExportRow): Record<(typeof CSV_COLUMNS)[number], Cell> {
  const i = row.incident;
  const [year, month, day] = (i.date?.date ?? '').split('-').map(Number);
  const groups = i.perpetratorGroups.filter((g) => g.attribution !== 'denied');
  const group = (n: number) => groups[n]?.group ?? (n === 0 ? 'Unknown' : '');
  const uncertain = (n: number) =>
    groups[n] === undefined ? (n === 0 ? 0 : '') : groups[n]?.attribution === 'suspected' ? 1 : 0;
  const killed = countValue(i.killed);
  const perpsKilled = countValue(i.perpetratorsKilled);
  return {
    eventid: i.id,
    iyear: year ?? null,
    imonth: i.date === null || i.date.precision === 'year' ? 0 : (month ?? 0),
    iday: i.date === null || i.date.precision !== 'day' ? 0 : (day ?? 0),
    country_txt: row.countryName ?? i.country,
    city: i.city,
    latitude: i.lat,
    longitude: i.lon,
    // GTD: 1 the city's coordinates, 4 the country's (no better place known), 5 unknown.
    specificity: i.placePrecision === 'city' ? 1 : i.placePrecision === 'country' ? 4 : 5,
    success: i.outcome === 'carried_out' ? 1 : 0,
    suicide: i.suicide ? 1 : 0,
    attacktype1: code(GTD_ATTACK, i.attackTypes[0] ?? 'unknown'),
    attacktype1_txt: text(GTD_ATTACK, i.attackTypes[0] ?? 'unknown'),
    attacktype2: code(GTD_ATTACK, i.attackTypes[1]),
    attacktype2_txt: text(GTD_ATTACK, i.attackTypes[1]),
    attacktype3: code(GTD_ATTACK, i.attackTypes[2]),
    attacktype3_txt: text(GTD_ATTACK, i.attackTypes[2]),
    targtype1: code(GTD_TARGET, i.targetTypes[0] ?? 'unknown'),
    targtype1_txt: text(GTD_TARGET, i.targetTypes[0] ?? 'unknown'),
    targtype2: code(GTD_TARGET, i.targetTypes[1]),
    targtype2_txt: text(GTD_TARGET, i.targetTypes[1]),
    targtype3: code(GTD_TARGET, i.targetTypes[2]),
    targtype3_txt: text(GTD_TARGET, i.targetTypes[2]),
    target1: i.targetText.join('; '),
    gname: group(0),
    guncertain1: uncertain(0),
    gname2: group(1),
    guncertain2: uncertain(1),
    gname3: group(2),
    guncertain3: uncertain(2),
    claimed: i.perpetratorGroups.some((g) => g.attribution === 'claimed') ? 1 : 0,
    // GTD: -99 for unknown.
    nperps: i.perpetratorsMin ?? -99,
    weaptype1: code(GTD_WEAPON, i.weaponTypes[0] ?? 'unknown'),
    weaptype1_txt: text(GTD_WEAPON, i.weaponTypes[0] ?? 'unknown'),
    weaptype2: code(GTD_WEAPON, i.weaponTypes[1]),
    weaptype2_txt: text(GTD_WEAPON, i.weaponTypes[1]),
    weapdetail: i.weaponText.join('; '),
    // GTD's nkill counts victims and perpetrators; nkillter the perpetrators alone.
    nkill: killed === null && perpsKilled === null ? null : (killed ?? 0) + (perpsKilled ?? 0),
    nkillter: perpsKilled,
    nwound: countValue(i.wounded),
    nhostkid: countValue(i.kidnapped),
    scite1: row.citations[0] ?? '',
    scite2: row.citations[1] ?? '',
    scite3: row.citations[2] ?? '',
    dbsource: 'Vigil',
    vigil_id: i.id,
    country_code: i.country,
    tlp: row.tlp,
  };
}

/** A CSV cell (RFC 4180); text that a spreadsheet would run as a formula is prefixed with `'`. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(row: ExportRow): string {
  const cells = gtdRow(row);
  return `${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\r\n`;
}

/** A GeoJSON feature (geometry null when the incident has no coordinates, as RFC 7946 allows). */
export function geojsonFeature(row: ExportRow) {
  const i = row.incident;
  return {
    type: 'Feature' as const,
    id: i.id,
    geometry:
      i.lat === null || i.lon === null ? null : { type: 'Point' as const, coordinates: [i.lon, i.lat] },
    properties: {
      id: i.id,
      date: i.date?.date ?? null,
      date_precision: i.date?.precision ?? null,
      country: i.country,
      country_txt: row.countryName,
      city: i.city,
      place_precision: i.placePrecision,
      attack_types: i.attackTypes,
      target_types: i.targetTypes,
      weapon_types: i.weaponTypes,
      groups: i.perpetratorGroups.map((g) => ({ id: g.groupId, name: g.group, attribution: g.attribution })),
      killed: countValue(i.killed),
      wounded: countValue(i.wounded),
      kidnapped: countValue(i.kidnapped),
      perpetrators_killed: countValue(i.perpetratorsKilled),
      suicide: i.suicide,
      outcome: i.outcome,
      sources: i.sources,
      tlp: row.tlp,
    },
  };
}
