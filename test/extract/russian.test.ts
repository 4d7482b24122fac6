import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ATTACK_TYPES, WEAPON_TYPES } from '../../src/extract/index.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf, storeDocument } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import { type Document, detectLanguage, documentId } from '../../src/sources/index.js';
import { openStore } from '../../src/store/index.js';
import { CONCERT_HALL_RU, CROCUS_RU, DERBENT_RU, VOLGOGRAD_RU } from './russian-articles.js';

const groups = new Map(loadGroups().map((g) => [g.id, g]));

function doc(article: { text: string; published: string }, origin: string): Document {
  return {
    id: documentId(article.text),
    text: article.text,
    published: article.published,
    title: null,
    url: null,
    outlet: null,
    language: detectLanguage(article.text),
    origin,
  };
}

/** Each field's evidence as the words matched. */
const evidence = (incident: Incident | undefined, field: string) =>
  incident?.evidence.filter((e) => e.field === field).map((e) => e.text) ?? [];

describe('Russian news: the concert-hall attack as the founding article tells it', () => {
  const incidents = incidentsOf(doc(CONCERT_HALL_RU, 'concert-hall-ru.txt'), groups);
  const [incident] = incidents;

  it('is Russian and reports one incident', () => {
    expect(detectLanguage(CONCERT_HALL_RU.text)).toBe('rus');
    expect(incidents).toHaveLength(1);
  });

  it('dates it from «22 марта» against the publication date', () => {
    expect(incident?.date).toEqual({ date: '2024-03-22', precision: 'day' });
    expect(evidence(incident, 'date')).toEqual(['22 марта']);
  });

  it('places it in Moscow, RU, with coordinates, from «в Москве»', () => {
    expect(incident).toMatchObject({ city: 'Moscow', country: 'RU', placePrecision: 'city' });
    expect(incident?.lat).toBeCloseTo(55.75, 1);
    expect(incident?.lon).toBeCloseTo(37.62, 1);
    expect(evidence(incident, 'city')).toContain('Москве');
  });

  it('reads the attack type, target, attackers and their nationality', () => {
    expect(incident?.attackTypes).toEqual(['armed_assault']);
    expect(evidence(incident, 'attack_types')).toContain('открыли огонь');
    expect(incident?.targetTypes).toEqual(['private_citizens_property']);
    expect(incident?.perpetratorsMin).toBe(4);
    expect(evidence(incident, 'perpetrators_min')).toEqual(['не менее четырех вооруженных людей']);
    expect(incident?.perpetratorNationalities).toEqual(['TJ']);
    expect(evidence(incident, 'perpetrator_nationalities')).toEqual(['гражданами Таджикистана']);
  });

  it('attributes it to ISKP, claimed, from «Вилаят Хорасан» (not to its parent, an "крыло" away)', () => {
    expect(incident?.perpetratorGroups).toEqual([
      expect.objectContaining({ groupId: 'iskp', attribution: 'claimed', aliasesSeen: ['Вилаят Хорасан'] }),
    ]);
    expect(evidence(incident, 'perpetrator_groups')).toEqual(['взяла на себя группировка «Вилаят Хорасан']);
  });

  it('counts killed and wounded: «погибли 139 человек», «более 180 получили ранения»', () => {
    expect(incident?.killed).toEqual({ value: 139, min: 139, max: 139, qualifier: 'exact' });
    expect(evidence(incident, 'killed')).toEqual(['погибли 139']);
    expect(incident?.wounded).toEqual({ value: 181, min: 181, max: null, qualifier: 'more_than' });
    expect(evidence(incident, 'wounded')).toEqual(['более 180 получили ранения']);
  });
});

describe('Russian news: Crocus City Hall, Krasnogorsk', () => {
  const [incident, ...rest] = incidentsOf(doc(CROCUS_RU, 'crocus-ru.txt'), groups);

  it('reads date («В пятницу вечером»), place (Krasnogorsk: «в подмосковном Красногорске»), types and toll', () => {
    expect(rest).toEqual([]);
    expect(incident?.date).toEqual({ date: '2024-03-22', precision: 'day' });
    expect(incident).toMatchObject({ city: 'Krasnogorsk', country: 'RU' });
    expect(incident?.lat).toBeCloseTo(55.82, 1);
    expect(evidence(incident, 'city')).toContain('Красногорске');
    expect(incident?.attackTypes).toEqual(['armed_assault', 'facility_infrastructure']);
    expect(incident?.perpetratorsMin).toBe(4);
    expect(incident?.killed).toMatchObject({ value: 133, qualifier: 'exact' });
    expect(evidence(incident, 'killed')).toEqual(['Число погибших возросло до 133']);
    expect(incident?.wounded).toMatchObject({ value: 101, min: 101, qualifier: 'more_than' });
    expect(evidence(incident, 'wounded')).toEqual(['более ста человек получили ранения']);
  });

  it('takes the claim and the suspects’ nationality', () => {
    expect(incident?.perpetratorGroups).toEqual([
      expect.objectContaining({ groupId: 'islamic-state', attribution: 'claimed' }),
    ]);
    expect(incident?.perpetratorNationalities).toEqual(['TJ']);
    expect(evidence(incident, 'perpetrator_nationalities')).toEqual(['граждане Таджикистана']);
  });
});

describe('Russian news: two other attacks', () => {
  it('Volgograd station: a suicide bombing on 29 December 2013, Caucasus Emirate suspected', () => {
    const [incident, ...rest] = incidentsOf(doc(VOLGOGRAD_RU, 'volgograd-ru.txt'), groups);
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      date: { date: '2013-12-29', precision: 'day' },
      city: 'Volgograd',
      country: 'RU',
      attackTypes: ['bombing_explosion'],
      targetTypes: ['transportation'],
      suicide: true,
      killed: { value: 18, min: 18, max: 18, qualifier: 'exact' },
      wounded: { value: 41, min: 41, qualifier: 'more_than' },
    });
    expect(incident?.perpetratorGroups).toEqual([
      expect.objectContaining({ groupId: 'caucasus-emirate', attribution: 'suspected' }),
    ]);
    expect(evidence(incident, 'suicide')).toEqual(['террорист-смертник']);
  });

  it('Derbent: an armed assault on a synagogue and a church, at least twenty killed, five attackers killed', () => {
    const [incident, ...rest] = incidentsOf(doc(DERBENT_RU, 'derbent-ru.txt'), groups);
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      date: { date: '2024-06-23', precision: 'day' },
      city: 'Derbent',
      country: 'RU',
      attackTypes: ['armed_assault'],
      targetTypes: ['religious_figures_institutions'],
      killed: { value: 20, min: 20, max: null, qualifier: 'at_least' },
      wounded: { value: 25, qualifier: 'exact' },
      perpetratorsKilled: { value: 5 },
    });
    expect(evidence(incident, 'killed')).toEqual(['погибли не менее двадцати']);
    expect(incident?.perpetratorGroups).toEqual([
      expect.objectContaining({ groupId: 'islamic-state', attribution: 'suspected' }),
    ]);
  });
});

describe('Russian and English reports of one attack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ru-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give the same record and merge into one incident', async () => {
    const english = readFileSync(
      new URL('../../../shared/examples/moscow-concert-hall.txt', import.meta.url),
      'utf8',
    );
    const store = await openStore(join(dir, 'merge.db'));
    try {
      const en = await storeDocument(
        store,
        doc({ text: english, published: '2024-03-25' }, 'en.txt'),
        groups,
      );
      const ru = await storeDocument(store, doc(CONCERT_HALL_RU, 'ru.txt'), groups);
      expect(en.status).toBe('stored');
      expect(ru.status).toBe('stored');
      const [a] = en.status === 'stored' ? en.incidents : [];
      const [b] = ru.status === 'stored' ? ru.incidents : [];
      for (const field of [
        'date',
        'country',
        'city',
        'attackTypes',
        'perpetratorsMin',
        'perpetratorNationalities',
      ] as const)
        expect(b?.[field], field).toEqual(a?.[field]);
      expect(b?.killed?.value).toBe(a?.killed?.value);
      expect(b?.perpetratorGroups.map((g) => g.groupId)).toEqual(a?.perpetratorGroups.map((g) => g.groupId));
      const incidents = await store.listIncidents();
      expect(incidents).toHaveLength(1);
      expect(incidents[0]?.sources).toHaveLength(2);
      // The claim (Russian) is stronger than the identification (English): the merged record keeps it.
      expect(incidents[0]?.perpetratorGroups).toEqual([
        expect.objectContaining({ groupId: 'iskp', attribution: 'claimed' }),
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('Russian word lists (data/lexicon/ru)', () => {
  const dir = new URL('../../data/lexicon/ru/', import.meta.url);
  const strings = (value: unknown, inKeys = false): string[] =>
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.flatMap((v) => strings(v, inKeys))
        : typeof value === 'object' && value !== null
          ? Object.entries(value).flatMap(([k, v]) =>
              k.startsWith('$') ? [] : [...(inKeys ? [k] : []), ...strings(v, inKeys)],
            )
          : [];

  const vocabulary = new Set<string>([
    ...ATTACK_TYPES,
    ...WEAPON_TYPES,
    'at_least',
    'more_than',
    'approximately',
    'at_most',
  ]);

  it.each(readdirSync(dir))('%s pairs with an English file and is all Cyrillic', (name) => {
    const russian = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>;
    if (name !== 'names.json') {
      const english = JSON.parse(readFileSync(new URL(`../${name}`, dir), 'utf8')) as object;
      if (!Array.isArray(russian))
        for (const key of Object.keys(russian))
          expect(Object.keys(english), `${name}: ${key}`).toContain(key);
    }
    // Every word Cyrillic (no Latin, no bare punctuation), so English text cannot match any of it and
    // the MUC-4 scores stay the same. names.json keys cities by their English gazetteer name (keys are
    // not read as words).
    const words = [
      ...strings(russian),
      ...(name === 'numbers.json'
        ? Object.entries(russian).flatMap(([k, v]) => (k.startsWith('$') ? [] : strings(v, true)))
        : []),
    ].filter((w) => !vocabulary.has(w));
    expect(words.filter((w) => !/\p{Script=Cyrillic}/u.test(w))).toEqual([]);
  });

  it('names.json: every city and landmark is in the gazetteer, every group in the knowledge base', async () => {
    const { loadCities } = await import('../../src/knowledge/places.js');
    const names = JSON.parse(readFileSync(new URL('names.json', dir), 'utf8')) as {
      groups: Record<string, string[]>;
      cities: Record<string, string[]>;
      landmarks: Record<string, string[]>;
    };
    const cities = new Set(loadCities().map((c) => `${c.name}|${c.country}`));
    for (const key of [...Object.keys(names.cities), ...Object.keys(names.landmarks)])
      expect(cities, key).toContain(key);
    for (const id of Object.keys(names.groups)) expect(groups.has(id), id).toBe(true);
    for (const list of Object.values(names.groups)) for (const n of list) expect(n).not.toMatch(/[A-Za-z]/);
  });
});
