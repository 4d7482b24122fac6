import { describe, expect, it } from 'vitest';
import {
  type GttKey,
  goldTemplates,
  gttDocument,
  gttScore,
  type Muc4Template,
} from '../../src/eval/index.js';

const t = (
  incident_type: string,
  roles: Partial<Omit<Muc4Template, 'incident_type'>> = {},
): Muc4Template => ({
  incident_type,
  PerpInd: [],
  PerpOrg: [],
  Target: [],
  Victim: [],
  Weapon: [],
  ...roles,
});

/** pNum/pDen rNum/rDen of one key, compactly. */
const hits = (
  counts: Record<GttKey, { pNum: number; pDen: number; rNum: number; rDen: number }>,
  k: GttKey,
) => {
  const c = counts[k];
  return `${c.pNum}/${c.pDen} ${c.rNum}/${c.rDen}`;
};

describe('GTT template metric, one document', () => {
  const gold = t('bombing', {
    PerpOrg: [['fmln', 'farabundo marti national liberation front']],
    Target: [['power pylons']],
    Weapon: [['dynamite']],
  });

  it('scores a perfect prediction 100 on every key', () => {
    const s = gttDocument([gold], [gold]);
    expect(s.mapping).toEqual([0]);
    for (const k of ['incident_type', 'PerpOrg', 'Target', 'Weapon'] as const)
      expect(hits(s.counts, k)).toBe('1/1 1/1');
    expect(hits(s.counts, 'Victim')).toBe('0/0 0/0');
    const score = gttScore([{ pred: [gold], gold: [gold] }]);
    expect(score.micro).toMatchObject({ pNum: 4, pDen: 4, rNum: 4, rDen: 4, p: 1, r: 1, f1: 1 });
  });

  it('normalises mentions as the scorer does (case, punctuation, articles)', () => {
    const pred = t('bombing', { Target: [['The Power-Pylons']] });
    const g = t('bombing', { Target: [['power pylons']] });
    expect(hits(gttDocument([pred], [g]).counts, 'Target')).toBe('0/1 0/1');
    const pred2 = t('bombing', { Target: [['The Power Pylons.']] });
    expect(hits(gttDocument([pred2], [g]).counts, 'Target')).toBe('1/1 1/1');
  });

  it('zeroes a pair whose incident type is not a substring of the gold one', () => {
    const pred = t('attack', { PerpOrg: [['fmln']], Target: [['power pylons']], Weapon: [['dynamite']] });
    const s = gttDocument([pred], [gold]);
    expect(s.mapping).toEqual([null]);
    for (const k of ['incident_type', 'PerpOrg', 'Target', 'Weapon'] as const)
      expect(hits(s.counts, k)).toBe('0/1 0/1');
  });

  it('accepts a predicted type that is part of a disjunction ("attack" in "bombing / attack")', () => {
    const g = t('bombing / attack', { Victim: [['jose']] });
    const s = gttDocument([t('attack', { Victim: [['jose']] })], [g]);
    expect(s.mapping).toEqual([0]);
    expect(hits(s.counts, 'incident_type')).toBe('1/1 1/1');
    expect(hits(s.counts, 'Victim')).toBe('1/1 1/1');
  });

  it('lowers only precision for an extra predicted template', () => {
    const extra = t('attack', { Victim: [['someone']] });
    const s = gttDocument([gold, extra], [gold]);
    expect(s.mapping).toEqual([0, null]);
    expect(hits(s.counts, 'incident_type')).toBe('1/2 1/1');
    expect(hits(s.counts, 'Victim')).toBe('0/1 0/0');
    const score = gttScore([{ pred: [gold, extra], gold: [gold] }]);
    expect(score.micro.r).toBe(1);
    expect(score.micro.p).toBeCloseTo(4 / 6);
  });

  it('lowers only recall for a missed gold template', () => {
    const other = t('kidnapping', { Victim: [['jose']] });
    const s = gttDocument([gold], [gold, other]);
    expect(hits(s.counts, 'incident_type')).toBe('1/1 1/2');
    expect(hits(s.counts, 'Victim')).toBe('0/0 0/1');
  });

  it('chooses the mapping with the best document F1 when two gold templates compete', () => {
    const g1 = t('attack', { Victim: [['ana']] });
    const g2 = t('attack', { Victim: [['beto']], Target: [['bus']] });
    // In order, pred 0 would take g1; the best mapping sends it to g2 and pred 1 to g1.
    const p0 = t('attack', { Victim: [['beto']], Target: [['bus']] });
    const p1 = t('attack', { Victim: [['ana']] });
    const s = gttDocument([p0, p1], [g1, g2]);
    expect(s.mapping).toEqual([1, 0]);
    expect(hits(s.counts, 'Victim')).toBe('2/2 2/2');
    expect(hits(s.counts, 'Target')).toBe('1/1 1/1');
    // With one prediction and two gold templates, it goes to the one it matches best.
    expect(gttDocument([p0], [g1, g2]).mapping).toEqual([1]);
  });

  it('counts a predicted entity correct when its mentions are a subset of a gold entity, not one-to-one', () => {
    const g = t('attack', { PerpOrg: [['fmln', 'farabundo marti national liberation front']] });
    const pred = t('attack', {
      PerpOrg: [['fmln'], ['farabundo marti national liberation front'], ['fmln', 'army']],
    });
    const s = gttDocument([pred], [g]);
    // Both single-mention entities are correct (no one-to-one), the third is not a subset.
    expect(hits(s.counts, 'PerpOrg')).toBe('2/3 1/1');
  });

  it('keeps the first best mapping on ties, as the scorer does', () => {
    const g1 = t('attack', { Victim: [['ana']] });
    const g2 = t('attack', { Victim: [['ana']], Target: [['x']] });
    // The prediction matches both gold templates equally well: the first in order wins.
    expect(gttDocument([t('attack', { Victim: [['ana']] })], [g1, g2]).mapping).toEqual([0]);
  });

  it('de-duplicates exact duplicate gold templates and drops gold entities without mentions', () => {
    const g = t('attack', { Victim: [['ana'], []] });
    expect(goldTemplates([g, g])).toEqual([t('attack', { Victim: [['ana']] })]);
    const s = gttDocument([], [g, g]);
    expect(hits(s.counts, 'incident_type')).toBe('0/0 0/1');
    expect(hits(s.counts, 'Victim')).toBe('0/0 0/1');
  });

  it('ignores predicted entities with no mention', () => {
    const s = gttDocument([t('attack', { Victim: [[]] })], [t('attack', { Victim: [['ana']] })]);
    expect(hits(s.counts, 'Victim')).toBe('0/0 0/1');
  });

  it('maps at most maxTemplates predicted templates; the rest count as unmapped', () => {
    const g = t('attack', { Victim: [['ana']] });
    const s = gttDocument([t('bombing'), t('attack', { Victim: [['ana']] })], [g], { maxTemplates: 1 });
    expect(s.mapping).toEqual([null, null]);
    expect(hits(s.counts, 'incident_type')).toBe('0/2 0/1');
  });

  it('is exact on many templates and reports a search cut short', () => {
    const golds = Array.from({ length: 9 }, (_, i) => t('attack', { Victim: [[`v${i}`]] }));
    const preds = Array.from({ length: 8 }, (_, i) => t('attack', { Victim: [[`v${8 - i}`]] }));
    const s = gttDocument(preds, golds);
    expect(s.exact).toBe(true);
    expect(s.mapping).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(hits(s.counts, 'Victim')).toBe('8/8 8/9');
    expect(gttDocument(preds, golds, { maxNodes: 5 }).exact).toBe(false);
  });
});

describe('GTT template metric, corpus', () => {
  it('sums per-document counts; the micro average covers incident type and the five roles', () => {
    const g = t('attack', { Victim: [['ana']], PerpInd: [['gunmen']] });
    const score = gttScore([
      { pred: [t('attack', { Victim: [['ana']] })], gold: [g] },
      { pred: [t('bombing')], gold: [] },
      { pred: [], gold: [t('arson', { Target: [['farm']] })] },
    ]);
    expect(score.documents).toBe(3);
    expect(score.keys.incident_type).toMatchObject({ pNum: 1, pDen: 2, rNum: 1, rDen: 2 });
    expect(score.keys.Victim).toMatchObject({ pNum: 1, pDen: 1, rNum: 1, rDen: 1 });
    expect(score.keys.PerpInd).toMatchObject({ pNum: 0, pDen: 0, rNum: 0, rDen: 1 });
    expect(score.keys.Target).toMatchObject({ pNum: 0, pDen: 0, rNum: 0, rDen: 1 });
    expect(score.micro).toMatchObject({ pNum: 2, pDen: 3, rNum: 2, rDen: 5 });
    expect(score.micro.f1).toBeCloseTo((2 * (2 / 3) * (2 / 5)) / (2 / 3 + 2 / 5));
  });

  it('gives zeros, not NaN, on empty input', () => {
    const score = gttScore([]);
    expect(score.micro).toMatchObject({ p: 0, r: 0, f1: 0 });
  });
});
