import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIncidents } from '../../src/extract/index.js';
import { loadCities, loadCountries, loadNotablePlaces } from '../../src/knowledge/places.js';

const file = new URL('../../data/places/notable-places.json', import.meta.url);
const data = JSON.parse(readFileSync(file, 'utf8')) as {
  places: { name: string; country: string; lat: number; lon: number }[];
};

describe('data/places/notable-places.json', () => {
  it('lists real coordinates in known countries, each place once', () => {
    const codes = new Set(loadCountries().map((c) => c.code));
    const seen = new Set<string>();
    for (const p of data.places) {
      expect(codes.has(p.country), `${p.name}: ${p.country}`).toBe(true);
      expect(Math.abs(p.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(p.lon)).toBeLessThanOrEqual(180);
      const key = `${p.name}|${p.country}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('adds only what the town gazetteer lacks', () => {
    const towns = new Set(
      loadCities()
        .filter((c) => !c.notable)
        .map((c) => `${c.name}|${c.country}`),
    );
    for (const p of data.places) expect(towns.has(`${p.name}|${p.country}`), p.name).toBe(false);
  });

  it('joins the gazetteer as notable towns', () => {
    const notable = loadNotablePlaces();
    expect(notable).toHaveLength(data.places.length);
    expect(loadCities().filter((c) => c.notable)).toHaveLength(data.places.length);
    expect(notable.every((c) => c.id < 0 && c.notable)).toBe(true);
  });
});

describe('extraction places an attack in a notable village', () => {
  const placeOf = (text: string) => {
    const [draft] = extractIncidents({ id: 'n', text, published: '2023-06-12' });
    return draft?.place?.value ?? null;
  };

  it('even when the article names only another country', () => {
    const place = placeOf(
      'Militants opened fire on pilgrims camped near Pahalgam on Sunday, killing seven, police said. Officials blamed a group based in Pakistan.',
    );
    expect(place).toMatchObject({ city: 'Pahalgam', country: 'IN' });
  });

  it('and takes the namesake in the country the article names', () => {
    const place = placeOf(
      'Gunmen killed 30 villagers in an overnight raid on Solhan in Burkina Faso on Friday.',
    );
    expect(place).toMatchObject({ city: 'Solhan', country: 'BF' });
  });
});
