import { describe, expect, it } from 'vitest';
import { leadingCountry } from '../../src/extract/fields/place-candidates.js';
import { extractIncidents } from '../../src/extract/index.js';
import { loadAdminAreas } from '../../src/knowledge/admin-areas.js';
import { placeIndex, skeleton } from '../../src/knowledge/place-index.js';

const extract = (text: string) => extractIncidents({ id: 'doc-place', text, published: '2024-05-14' });

describe('spelling skeletons', () => {
  it('fold the transliterations news writes onto the gazetteer', () => {
    expect(skeleton("Ba'quba")).toBe(skeleton('Baqubah'));
    expect(skeleton('Fallujah')).toBe(skeleton('Al Fallūjah'));
    expect(skeleton('Tal Afar')).toBe(skeleton('Tall Afar'));
    expect(skeleton('Zurich')).toBe(skeleton('Zürich'));
    expect(skeleton('Kandahar')).not.toBe(skeleton('Kabul'));
  });

  it('find towns and first-level divisions by them', () => {
    const ix = placeIndex();
    expect(ix.cities.get(skeleton("Ba'quba"))?.some((c) => c.country === 'IQ')).toBe(true);
    expect(ix.admins.get(skeleton('Diyala'))?.[0]?.country).toBe('IQ');
    expect(ix.admins.get(skeleton('Khyber Pakhtunkhwa'))?.[0]?.country).toBe('PK');
    expect(ix.capitals.get('AR')?.name).toBe('Buenos Aires');
  });

  it('give each division coordinates from its towns', () => {
    const anbar = loadAdminAreas().find((a) => a.country === 'IQ' && a.name === 'Al Anbar');
    expect(anbar?.lat).toBeGreaterThan(30);
    expect(anbar?.lon).toBeGreaterThan(40);
  });
});

describe('the country a text leads with', () => {
  it('reads a country in capitals before a full stop or a dash', () => {
    expect(leadingCountry('PERU.  A bomb went off outside a bank.')).toBe('PE');
    expect(leadingCountry('UNITED STATES - A letter bomb was mailed to a judge.')).toBe('US');
    expect(leadingCountry('NAIROBI, Kenya — Gunmen stormed a shop.')).toBe('KE');
  });

  it('reads nothing from an ordinary first sentence', () => {
    expect(leadingCountry('A bomb went off outside a bank in Lima.')).toBeNull();
    expect(leadingCountry('On Monday, gunmen attacked a bus.')).toBeNull();
  });
});

describe('the town of an incident among the document’s candidates', () => {
  it('takes a town written before its province and country, in the text’s spelling', () => {
    const [d] = extract(
      "On Monday, in Ba'quba, Diyala, Iraq, a roadside bomb exploded near a police patrol, killing three officers.",
    );
    expect(d?.place?.value).toMatchObject({ city: "Ba'quba", country: 'IQ', precision: 'city' });
    expect(d?.place?.value.lat).toBeCloseTo(33.75, 1);
    expect(d?.place?.evidence[0]?.text).toBe("Ba'quba");
  });

  it('takes a town the gazetteer lacks when a province and country follow it', () => {
    const [d] = extract(
      'On Friday, in Qarya Nawabad, Nangarhar, Afghanistan, gunmen shot and killed two teachers outside a school.',
    );
    expect(d?.place?.value).toMatchObject({ city: 'Qarya Nawabad', country: 'AF', precision: 'city' });
  });

  it('places an attack in the country a summary leads with, and a town of it', () => {
    const [d] = extract(
      'CHILE.  A bomb exploded outside the offices of a copper company in Antofagasta, injuring two guards.',
    );
    expect(d?.place?.value).toMatchObject({ city: 'Antofagasta', country: 'CL' });
  });

  it('does not take a word of an organisation’s name for a town abroad', () => {
    const [d] = extract(
      'Maoist rebels attacked a camp of the Central Reserve Police Force in Bihar, India, killing four troopers.',
    );
    expect(d?.place?.value.country).toBe('IN');
    expect(d?.place?.value.city ?? '').not.toMatch(/reserve/i);
  });
});
