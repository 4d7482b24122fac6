import { type AdminArea, loadAdminAreas } from './admin-areas.js';
import { type City, type Country, loadCities, loadCountries } from './places.js';

/**
 * Place names by a spelling skeleton, so that the transliterations news writes find the gazetteer's
 * ("Ba'quba" and "Baqubah", "Fallujah" and "Al Fallūjah", "Tal Afar" and "Tall Afar"): letters
 * without accents, apostrophes, hyphens or spaces, without a leading Arabic article, with the
 * spellings that vary most between transliterations folded together.
 */
export function skeleton(name: string): string {
  // Most gazetteer names are plain ASCII: decompose only the others.
  let s = (/^[\x20-\x7e]*$/.test(name) ? name : name.normalize('NFD')).toLowerCase();
  s = s.replace(ARTICLE, '');
  let out = '';
  let last = '';
  for (let i = 0; i < s.length; i++) {
    let ch = s[i] as string;
    if (ch < 'a' || ch > 'z') {
      if (ch >= '0' && ch <= '9') {
        out += ch;
        last = ch;
      }
      continue;
    }
    const next = s[i + 1];
    if ((ch === 'k' && next === 'h') || (ch === 'p' && next === 'h')) {
      ch = ch === 'p' ? 'f' : 'k';
      i++;
    } else if ((ch === 'o' && (next === 'u' || next === 'o')) || (ch === 'e' && next === 'e')) {
      ch = ch === 'e' ? 'i' : 'u';
      i++;
    } else if (ch === 'q') ch = 'k';
    else if (ch === 'y') ch = 'i';
    if (ch === last) continue;
    out += ch;
    last = ch;
  }
  return out.length > 3 && out.endsWith('h') ? out.slice(0, -1) : out;
}

/** A leading Arabic article ("Al Fallujah", "al-Qaim", "Ash Shirqat"). */
const ARTICLE = /^(?:al|el|ad|an|ar|as|ash|at|az)[\s\-‐]+/;

export interface PlaceIndex {
  readonly cities: ReadonlyMap<string, readonly City[]>;
  readonly admins: ReadonlyMap<string, readonly AdminArea[]>;
  readonly countries: ReadonlyMap<string, Country>;
  /** Each country's national capital (the largest, where GeoNames marks several). */
  readonly capitals: ReadonlyMap<string, City>;
}

let index: PlaceIndex | undefined;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  if (key.length < 3) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Towns, first-level divisions and countries by skeleton. Built on first use. */
export function placeIndex(): PlaceIndex {
  if (index) return index;
  const cities = new Map<string, City[]>();
  const capitals = new Map<string, City>();
  for (const c of loadCities()) {
    push(cities, skeleton(c.name), c);
    if (c.capital && (capitals.get(c.country)?.population ?? -1) < c.population) capitals.set(c.country, c);
  }
  const admins = new Map<string, AdminArea[]>();
  for (const a of loadAdminAreas()) for (const n of new Set(a.names.map(skeleton))) push(admins, n, a);
  const countries = new Map<string, Country>();
  for (const c of loadCountries())
    for (const n of c.names) if (!countries.has(skeleton(n))) countries.set(skeleton(n), c);
  index = { cities, admins, countries, capitals };
  return index;
}
