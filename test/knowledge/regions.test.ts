import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { phraseKey } from '../../src/extract/text/tokens.js';
import { loadCountries, loadRegions } from '../../src/knowledge/places.js';

const file = new URL('../../data/places/regions.json', import.meta.url);
const data = JSON.parse(readFileSync(file, 'utf8'));
const name = z.string().refine((p) => phraseKey(p) !== '', 'a name must contain a word');
const code = z.string().regex(/^[A-Z]{2}$/);
const schema = z
  .object({
    $comment: z.string(),
    regions: z.record(code, z.array(name).min(1)),
    shared: z.record(name, z.array(code).min(2)),
  })
  .strict();

describe('data/places/regions.json', () => {
  it('has the expected shape', () => {
    expect(() => schema.parse(data)).not.toThrow();
  });

  it('names real countries, each region once, none a country name', () => {
    const countries = loadCountries();
    const codes = new Set(countries.map((c) => c.code));
    const countryNames = new Set(countries.flatMap((c) => c.names.map(phraseKey)));
    const regions = loadRegions();
    for (const r of regions) for (const c of r.countries) expect(codes.has(c), `${r.name}: ${c}`).toBe(true);
    const keys = regions.map((r) => phraseKey(r.name));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(keys.filter((k) => countryNames.has(k))).toEqual([]);
  });

  it('leaves out ordinary words and common first names', () => {
    const keys = new Set(loadRegions().map((r) => phraseKey(r.name)));
    for (const word of ['georgia', 'victoria', 'meta', 'delta', 'plateau', 'centre', 'bay', 'washington'])
      expect(keys.has(word), word).toBe(false);
  });

  it('knows the regions news places attacks in', () => {
    const country = (n: string) => loadRegions().find((r) => r.name === n)?.countries;
    expect(country('Bali')).toEqual(['ID']);
    expect(country('Sinai')).toEqual(['EG']);
    expect(country('North Ossetia')).toEqual(['RU']);
    expect(country('Borno')).toEqual(['NG']);
    expect(country('Kashmir')).toEqual(['IN', 'PK']);
  });
});
