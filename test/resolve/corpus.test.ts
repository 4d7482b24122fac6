import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type ArticleTruth, pairsOf } from '../../bench/resolution-metrics.js';

/* The resolution corpus (bench/resolution.ts) is well formed: its articles parse, its truth covers
 * them exactly, and it has what the benchmark needs to measure — many reports per incident, wire
 * copies, different attacks on the same day in the same city, and background pieces. */

const dir = new URL('../fixtures/resolution/', import.meta.url);
const rawLines = readFileSync(new URL('articles.jsonl', dir), 'utf8').split('\n');

interface Article {
  readonly id: string;
  readonly text: string;
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly published: string;
}

interface GoldIncident {
  readonly date: string;
  readonly country: string;
  readonly city: string | null;
  readonly killed: number | null;
  readonly group: string | null;
  readonly suspected?: string;
  readonly sources: string;
}

const truth = JSON.parse(readFileSync(new URL('truth.json', dir), 'utf8')) as {
  readonly articles: Record<string, ArticleTruth>;
  readonly incidents: Record<string, GoldIncident>;
};
const lines = rawLines.filter((l) => l.trim() !== '');
const articles = lines.map((l) => JSON.parse(l) as Article);
const byId = new Map(articles.map((a) => [a.id, a]));
const gold = (id: string) => truth.articles[id] as ArticleTruth;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

const require = createRequire(import.meta.url);
const countries = new Set((require('world-countries') as { cca2: string }[]).map((c) => c.cca2));
const groupIds = new Set(
  (
    JSON.parse(readFileSync(new URL('../../data/groups.json', import.meta.url), 'utf8')) as { id: string }[]
  ).map((g) => g.id),
);

const sentenceCount = (text: string) => {
  const seg = new Intl.Segmenter('en', { granularity: 'sentence' });
  return text.split(/\n\s*\n/).flatMap((p) => [...seg.segment(p)].filter((s) => s.segment.trim() !== ''))
    .length;
};
const shingles = (text: string) => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.slice(0, -2).map((w, i) => `${w} ${words[i + 1]} ${words[i + 2]}`));
};
const jaccard = (a: Set<string>, b: Set<string>) => {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
};

describe('resolution corpus: articles.jsonl', () => {
  it('has one JSON object per line with every field, and at least 150 articles', () => {
    expect(rawLines.at(-1)).toBe('');
    expect(lines.length).toBe(rawLines.length - 1);
    expect(articles.length).toBeGreaterThanOrEqual(150);
    for (const a of articles) {
      expect(Object.keys(a).sort(), a.id).toEqual(['id', 'published', 'source', 'text', 'title', 'url']);
      for (const field of ['id', 'text', 'title', 'source'] as const) {
        expect(typeof a[field] === 'string' && a[field].trim() !== '', `${a.id} ${field}`).toBe(true);
      }
      expect(a.published, a.id).toMatch(isoDate);
      expect(Number.isNaN(Date.parse(a.published)), a.id).toBe(false);
      expect(a.url, a.id).toMatch(/^https:\/\/[a-z0-9-]+\.example\/\S+$/);
    }
  });

  it('has unique ids and unique URLs', () => {
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
    expect(new Set(articles.map((a) => a.url)).size).toBe(articles.length);
  });

  it('writes every article as news copy of 3 to 10 sentences', () => {
    for (const a of articles) {
      const n = sentenceCount(a.text);
      expect(n, a.id).toBeGreaterThanOrEqual(3);
      expect(n, a.id).toBeLessThanOrEqual(10);
    }
  });
});

describe('resolution corpus: truth.json', () => {
  it('has a truth entry for every article and an article for every truth entry', () => {
    expect(Object.keys(truth.articles).sort()).toEqual(articles.map((a) => a.id).sort());
  });

  it('names only incidents it defines, and every incident is reported', () => {
    const reported = new Set(Object.values(truth.articles).flatMap((a) => a.incidents));
    for (const key of reported) expect(truth.incidents[key], key).toBeDefined();
    expect([...reported].sort()).toEqual(Object.keys(truth.incidents).sort());
  });

  it('gives every incident a date, an ISO country, a toll, a known group and a note', () => {
    for (const [key, i] of Object.entries(truth.incidents)) {
      expect(i.date, key).toMatch(isoDate);
      expect(key.startsWith(i.date), key).toBe(true);
      expect(countries.has(i.country), `${key} country ${i.country}`).toBe(true);
      expect(i.city === null || (typeof i.city === 'string' && i.city !== ''), key).toBe(true);
      expect(i.killed === null || (Number.isInteger(i.killed) && i.killed >= 0), key).toBe(true);
      if (i.group !== null) expect(groupIds.has(i.group), `${key} group ${i.group}`).toBe(true);
      if (i.suspected !== undefined)
        expect(groupIds.has(i.suspected), `${key} suspected ${i.suspected}`).toBe(true);
      expect(i.sources.length, key).toBeGreaterThan(10);
    }
  });

  it('has at least 40 real incidents, each reported at least twice', () => {
    const reports = new Map<string, number>();
    for (const a of Object.values(truth.articles)) {
      for (const key of a.incidents) reports.set(key, (reports.get(key) ?? 0) + 1);
    }
    expect(reports.size).toBeGreaterThanOrEqual(40);
    for (const [key, n] of reports) expect(n, key).toBeGreaterThanOrEqual(2);
    const mean = [...reports.values()].reduce((s, n) => s + n, 0) / reports.size;
    expect(mean).toBeGreaterThanOrEqual(2);
  });

  it('publishes each report on or after the attack and within a month of it', () => {
    for (const a of articles) {
      for (const key of gold(a.id).incidents) {
        const date = truth.incidents[key]?.date as string;
        const lag = days(date, a.published);
        expect(lag, `${a.id} reports ${key}`).toBeGreaterThanOrEqual(0);
        expect(lag, `${a.id} reports ${key}`).toBeLessThanOrEqual(31);
      }
    }
  });

  it('has at least 10 background pieces, published over a month after the attacks they recall', () => {
    const background = articles.filter((a) => gold(a.id).incidents.length === 0);
    expect(background.length).toBeGreaterThanOrEqual(10);
    const earliest = Math.min(...Object.values(truth.incidents).map((i) => Date.parse(i.date)));
    for (const a of background)
      expect(Date.parse(a.published), a.id).toBeGreaterThan(earliest + 31 * 86_400_000);
  });

  it('has at least 15 near-duplicates: wire copies of one text with small edits, same incidents', () => {
    const groups = new Map<string, string[]>();
    for (const [id, a] of Object.entries(truth.articles)) {
      if (a.wire !== undefined) groups.set(a.wire, [...(groups.get(a.wire) ?? []), id]);
    }
    let copies = 0;
    for (const [wire, ids] of groups) {
      expect(ids.length, wire).toBeGreaterThanOrEqual(2);
      copies += ids.length - 1;
      const keys = ids.map((id) => JSON.stringify([...gold(id).incidents].sort()));
      expect(new Set(keys).size, wire).toBe(1);
      const texts = ids.map((id) => shingles(byId.get(id)?.text ?? ''));
      for (let i = 1; i < texts.length; i++) {
        expect(
          jaccard(texts[0] as Set<string>, texts[i] as Set<string>),
          `${wire} ${ids[i]}`,
        ).toBeGreaterThan(0.6);
      }
    }
    expect(copies).toBeGreaterThanOrEqual(15);
  });

  it('has at least 4 pairs of different attacks on the same day in the same city', () => {
    const incidents = Object.entries(truth.incidents).filter(([, i]) => i.city !== null);
    const place = (i: GoldIncident) => `${i.date}|${i.country}|${i.city}`;
    const byPlace = new Map<string, string[]>();
    for (const [key, i] of incidents) byPlace.set(place(i), [...(byPlace.get(place(i)) ?? []), key]);
    const pairs = pairsOf(byPlace.values());
    expect(pairs.size).toBeGreaterThanOrEqual(4);
    // In at least four different places, not four sites of one attack.
    expect([...byPlace.values()].filter((keys) => keys.length > 1).length).toBeGreaterThanOrEqual(4);
  });
});
