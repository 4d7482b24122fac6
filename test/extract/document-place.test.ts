import { describe, expect, it } from 'vitest';
import { annotate } from '../../src/extract/annotate.js';
import { documentCandidates, documentPlace } from '../../src/extract/fields/incident-place.js';
import { leadingCountry, readLead } from '../../src/extract/fields/place-candidates.js';
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
  });

  it('reads a dateline as where the story was filed, not as a header', () => {
    expect(leadingCountry('NAIROBI, Kenya — Gunmen stormed a shop.')).toBeNull();
    expect(readLead('NAIROBI, Kenya — Gunmen stormed a shop.').dateline).toEqual({ end: 17, country: 'KE' });
    expect(readLead('NAIROBI — Gunmen stormed a shop.').dateline?.country).toBe('KE');
    expect(readLead('BAIDOA (Horn Wire) — Gunmen stormed a shop.').dateline?.end).toBe(21);
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

const candidatesOf = (text: string) => documentCandidates(text, annotate(text)).candidates;

describe('the dateline', () => {
  it('is never a candidate by itself: only the sentences may name the town', () => {
    const text =
      'BAIDOA, Somalia — A roadside bomb struck a police truck on Monday, killing four officers, officials said.';
    expect(candidatesOf(text).map((c) => c.key)).not.toContain('baidoa');
    expect(documentPlace('t', text, annotate(text)).place?.value.city ?? null).toBeNull();
  });

  it('does not offer the national capital it names', () => {
    const text = 'MOGADISHU — A car bomb exploded outside a police station on Monday, killing six officers.';
    expect(candidatesOf(text).some((c) => c.sources.includes('capital'))).toBe(false);
  });

  it('leaves the town to the sentences that name it', () => {
    const text =
      'BAIDOA, Somalia — A roadside bomb struck a police truck in Baidoa on Monday, killing four officers, officials said.';
    const place = documentPlace('t', text, annotate(text)).place;
    expect(place?.value).toMatchObject({ city: 'Baidoa', country: 'SO' });
    expect(place?.evidence[0]?.start).toBeGreaterThan(text.indexOf('—'));
  });
});

describe('a candidate that contradicts the article’s country', () => {
  it('is dropped when the gazetteer knows its name only in a country the article does not name', () => {
    const text =
      "Attackers stormed the Springfield shopping centre on Saturday, killing 12 people. Kenya's president said the raid was revenge for Kenya's troops in Somalia.";
    expect(candidatesOf(text).map((c) => c.key)).not.toContain('springfield');
  });

  it('is not placed in a country the article names only as an actor', () => {
    const text =
      'A bomb exploded at a market in Springfield on Monday, killing three people. Pakistan condemned the attack.';
    expect(candidatesOf(text).filter((c) => c.key === 'springfield')).toEqual([]);
  });
});

describe('calendar words and possessives', () => {
  it('are not towns', () => {
    const keys = candidatesOf(
      "The toll from Friday's bombing in Egypt's North Sinai rose to 40, officials in Cairo said.",
    ).map((c) => c.name);
    expect(keys).not.toContain("Friday's");
    expect(keys).not.toContain("Egypt's");
  });
});
