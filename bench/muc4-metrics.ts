/**
 * Bench-only helpers for bench/muc4.ts: MUC datelines, dates, locations and attack types from the 1992
 * keys, the greedy slot alignment and small statistics. No I/O, no extractor; unit-tested in
 * test/eval/muc4-metrics.test.ts. The two standard metrics (CEAF-REE and the GTT template metric) are
 * part of the product, in src/eval/.
 */
import { normaliseMention } from '../src/eval/scores.js';

// ---------------------------------------------------------------------------------------------------
// Strings

/** Place names: the mention normalisation plus diacritics removed ("Bogotá" = "BOGOTA") and a trailing
 * " city" made optional ("Guatemala City" = "GUATEMALA"). */
export function normalisePlaceName(s: string): string {
  const plain = normaliseMention(s.normalize('NFD').replace(/\p{M}/gu, ''));
  return plain.replace(/ city$/, '');
}

/** Predicted entities from plain strings: normalised, empty strings dropped, one entity per distinct
 * normalised string, in first-seen order. */
export function distinctStringEntities(strings: Iterable<string>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const s of strings) {
    const n = normaliseMention(s);
    if (n === '' || seen.has(n)) continue;
    seen.add(n);
    out.push([n]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function expandYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 1900 + n : n;
}

/** `YYYY-MM-DD` for a valid calendar day, else null. */
export function isoDay(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthNumber(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toUpperCase()) + 1;
}

/**
 * The publication date from a MUC dateline: "LIMA, 10 JAN 90 (EFE) -- [TEXT]" → 1990-01-10. Accepts
 * day-month-year ("18 APRIL 89", "4 SEPT 89") and month-day-year ("JUNE 11 89"); 2-digit years are 19xx.
 * "NO DATE" or a date without a year ("25 JAN (NA)") gives null.
 */
export function parseDateline(dateline: string | null | undefined): string | null {
  if (!dateline) return null;
  const dayFirst = /(?<![\p{L}\p{N}])(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})(?!\d)/u.exec(dateline);
  if (dayFirst) {
    const [, d, m, y] = dayFirst;
    const month = monthNumber(m ?? '');
    if (month > 0) return isoDay(expandYear(y ?? ''), month, Number(d));
  }
  const monthFirst = /(?<![\p{L}\p{N}])([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}|\d{2})(?!\d)/u.exec(
    dateline,
  );
  if (monthFirst) {
    const [, m, d, y] = monthFirst;
    const month = monthNumber(m ?? '');
    if (month > 0) return isoDay(expandYear(y ?? ''), month, Number(d));
  }
  return null;
}

/** An inclusive range of ISO days; a null end is open ("- 19 JAN 89" = on or before 19 Jan 1989). */
export interface DayRange {
  readonly from: string | null;
  readonly to: string | null;
}

const MUC_DAY = /^(\d{1,2}) ([A-Z]{3}) (\d{2})$/;

function mucDay(s: string): string | null {
  const m = MUC_DAY.exec(s.trim().toUpperCase());
  if (!m) return null;
  const month = MONTHS.indexOf(m[2] ?? '') + 1;
  return month > 0 ? isoDay(expandYear(m[3] ?? ''), month, Number(m[1])) : null;
}

/** Splits a key value at top-level " / " (alternatives) and unwraps each "(…)" alternative. */
export function splitAlternatives(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '/' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => unwrap(p.trim().replace(/^\?\s*/, ''))).filter((p) => p !== '');
}

function unwrap(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && closingParen(t, 0) === t.length - 1)
    t = t.slice(1, -1).trim();
  return t;
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * A MUC `INCIDENT: DATE` value as alternative day ranges: "09 JAN 90", "- 19 JAN 89" (on or before),
 * "26 DEC 89 - 27 DEC 89", "(09 DEC 89) / (- 09 DEC 89)". Empty ("-", "*") or unparseable → [].
 */
export function parseMucDate(value: string): DayRange[] {
  const ranges: DayRange[] = [];
  for (const alt of splitAlternatives(value)) {
    const m = /^(.*?)\s*(?:^|\s)-(?:\s|$)\s*(.*)$/.exec(alt);
    if (m) {
      const left = (m[1] ?? '').trim();
      const right = (m[2] ?? '').trim();
      const from = left === '' ? null : mucDay(left);
      const to = right === '' ? null : mucDay(right);
      if ((left !== '' && from === null) || (right !== '' && to === null) || (from === null && to === null))
        continue;
      ranges.push({ from, to });
      continue;
    }
    const day = mucDay(alt);
    if (day) ranges.push({ from: day, to: day });
  }
  return ranges;
}

/** Whether an ISO day lies in any alternative of a MUC date value; null when the value has no date. */
export function mucDateContains(value: string, isoDate: string | null): boolean | null {
  const ranges = parseMucDate(value);
  if (ranges.length === 0) return null;
  if (isoDate === null) return false;
  const day = isoDate.slice(0, 10);
  return ranges.some((r) => (r.from === null || r.from <= day) && (r.to === null || day <= r.to));
}

/** True when every alternative is a single day (no open or multi-day range). */
export function mucDateIsSingleDay(value: string): boolean {
  const ranges = parseMucDate(value);
  return ranges.length > 0 && ranges.every((r) => r.from !== null && r.from === r.to);
}

// ---------------------------------------------------------------------------------------------------
// Locations

/** Country names as written in the MUC-3/4 keys and datelines (English, upper case) → ISO 3166-1 alpha-2. */
export const MUC_COUNTRIES: Readonly<Record<string, string>> = {
  ARGENTINA: 'AR',
  BELIZE: 'BZ',
  BOLIVIA: 'BO',
  BRAZIL: 'BR',
  CANADA: 'CA',
  CHILE: 'CL',
  COLOMBIA: 'CO',
  'COSTA RICA': 'CR',
  CUBA: 'CU',
  'DOMINICAN REPUBLIC': 'DO',
  ECUADOR: 'EC',
  'EL SALVADOR': 'SV',
  FRANCE: 'FR',
  'FRENCH GUIANA': 'GF',
  GUATEMALA: 'GT',
  GUATAMALA: 'GT', // misspelt in two train keys
  GUYANA: 'GY',
  HAITI: 'HT',
  HONDURAS: 'HN',
  JAMAICA: 'JM',
  MEXICO: 'MX',
  NICARAGUA: 'NI',
  PANAMA: 'PA',
  PARAGUAY: 'PY',
  PERU: 'PE',
  'PUERTO RICO': 'PR',
  SPAIN: 'ES',
  SURINAME: 'SR',
  'UNITED KINGDOM': 'GB',
  'UNITED STATES': 'US',
  USA: 'US',
  URUGUAY: 'UY',
  VENEZUELA: 'VE',
  // Spanish spellings (accents are stripped before lookup).
  BRASIL: 'BR',
  'ESTADOS UNIDOS': 'US',
  ESPANA: 'ES',
  MEJICO: 'MX',
  'REPUBLICA DOMINICANA': 'DO',
};

export function countryIso2(name: string): string | null {
  const key = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/^\?\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return MUC_COUNTRIES[key] ?? null;
}

export interface MucLocation {
  /** ISO2 codes of every alternative's country. */
  readonly countries: readonly string[];
  /** Country names that could not be mapped (reported, never graded). */
  readonly unmappedCountries: readonly string[];
  /** Normalised (normalisePlaceName) names of every part typed CITY, over all alternatives. */
  readonly cities: readonly string[];
}

/** Splits at a separator found at parenthesis depth 0. */
function splitTopLevel(s: string, separator: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let buf = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (depth === 0) {
      const m = separator.exec(s.slice(i));
      if (m && m.index === 0) {
        out.push(buf);
        buf = '';
        i += m[0].length - 1;
        continue;
      }
    }
    buf += c;
  }
  out.push(buf);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * A MUC `INCIDENT: LOCATION` value: "PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)",
 * "(COLOMBIA) / (COLOMBIA: BOGOTA (CITY))", "HONDURAS / EL SALVADOR", "CHILE: COPIAPO (CITY) - TALCA (CITY)",
 * "COLOMBIA: URABA (REGION / CITY)". The country is the part before the first top-level colon.
 */
export function parseMucLocation(value: string): MucLocation {
  const countries = new Set<string>();
  const unmapped = new Set<string>();
  const cities = new Set<string>();
  for (const alt of splitAlternatives(value)) {
    if (alt === '-' || alt === '*') continue;
    const [countryPart, ...rest] = splitTopLevel(alt, /^:/);
    const country = (countryPart ?? '').trim();
    if (country === '' || country === '-') continue;
    const code = countryIso2(country);
    if (code) countries.add(code);
    else unmapped.add(country);
    for (const segment of rest) {
      for (const item of splitTopLevel(segment, /^\s-\s/)) {
        const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(item);
        if (!m) continue;
        const types = (m[2] ?? '').split('/').map((t) => t.trim().toUpperCase());
        if (types.includes('CITY')) cities.add(normalisePlaceName(m[1] ?? ''));
      }
    }
  }
  return { countries: [...countries], unmappedCountries: [...unmapped], cities: [...cities] };
}

// ---------------------------------------------------------------------------------------------------
// Attack types

/**
 * MUC `INCIDENT: TYPE` → the Vigil (GTD) attack types that count as agreement. MUC ATTACK is generic
 * (shooting, assassination, massacre, …), so any of armed_assault / assassination / unknown agrees.
 * ROBBERY and FORCED WORK STOPPAGE have no GTD counterpart and are not graded.
 */
export const MUC_ATTACK_TYPES: Readonly<Record<string, readonly string[] | null>> = {
  ATTACK: ['armed_assault', 'assassination', 'unknown'],
  BOMBING: ['bombing_explosion'],
  KIDNAPPING: ['hostage_kidnapping'],
  ARSON: ['facility_infrastructure'],
  ROBBERY: null,
  'FORCED WORK STOPPAGE': null,
};

/** Whether any of the draft's attack types agrees with any alternative of the MUC type
 * ("BOMBING / ATTACK"); null when no alternative is graded. */
export function attackTypeAgrees(mucType: string, vigilTypes: readonly string[]): boolean | null {
  const accepted = new Set<string>();
  let graded = false;
  for (const alt of splitAlternatives(mucType)) {
    const mapped = MUC_ATTACK_TYPES[alt.trim().toUpperCase()];
    if (!mapped) continue;
    graded = true;
    for (const t of mapped) accepted.add(t);
  }
  if (!graded) return null;
  return vigilTypes.some((t) => accepted.has(t));
}

// ---------------------------------------------------------------------------------------------------
// Template ↔ draft alignment

/**
 * Greedy one-to-one alignment on an agreement matrix (`scores[template][draft]`): repeatedly takes the
 * highest-scoring free pair (ties: lower template index, then lower draft index) until one side runs out.
 * Pairs with score 0 are still taken. An optimal (Hungarian) assignment would reach at least the same total.
 */
export function greedyAlign(scores: readonly (readonly number[])[]): Array<[number, number]> {
  const cells: Array<[number, number, number]> = [];
  scores.forEach((row, i) => {
    row.forEach((s, j) => {
      cells.push([s, i, j]);
    });
  });
  cells.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedRows = new Set<number>();
  const usedCols = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const [, i, j] of cells) {
    if (usedRows.has(i) || usedCols.has(j)) continue;
    usedRows.add(i);
    usedCols.add(j);
    pairs.push([i, j]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

// ---------------------------------------------------------------------------------------------------
// Small statistics

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}
