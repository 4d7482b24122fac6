import { describe, expect, it } from 'vitest';
import {
  ceafRee,
  dedupeTemplates,
  documentEntities,
  entityMatches,
  type Muc4Roles,
  type Muc4Template,
  maxBipartiteMatching,
  normaliseMention,
  prf,
  scoreEntities,
} from '../../src/eval/index.js';

describe('normaliseMention (GRIT normalize_string)', () => {
  it('lower-cases, drops ASCII punctuation and articles, squeezes spaces', () => {
    expect(normaliseMention('The  "Santo Tomas"  Farm')).toBe('santo tomas farm');
    expect(normaliseMention('farabundo marti national liberation front (fmln)')).toBe(
      'farabundo marti national liberation front fmln',
    );
    expect(normaliseMention('an m-60 and a car-bomb')).toBe('m60 and carbomb');
  });

  it('drops articles only as whole words', () => {
    expect(normaliseMention('theater of the army')).toBe('theater of army');
    expect(normaliseMention('anarchists and atheists')).toBe('anarchists and atheists');
  });

  it('keeps non-ASCII letters and treats them as word characters', () => {
    expect(normaliseMention('Bogotá')).toBe('bogotá');
    expect(normaliseMention('ñthe')).toBe('ñthe');
  });

  it('may give an empty string', () => {
    expect(normaliseMention('the')).toBe('');
    expect(normaliseMention(' -- ')).toBe('');
  });
});

describe('prf', () => {
  it('computes precision, recall and F1', () => {
    const s = prf(2, 4, 8);
    expect(s.p).toBeCloseTo(0.5);
    expect(s.r).toBeCloseTo(0.25);
    expect(s.f1).toBeCloseTo(1 / 3);
  });

  it('is 0 (not NaN) when a denominator is 0', () => {
    expect(prf(0, 0, 5)).toEqual({ p: 0, r: 0, f1: 0 });
    expect(prf(0, 3, 0)).toEqual({ p: 0, r: 0, f1: 0 });
    expect(prf(0, 0, 0)).toEqual({ p: 0, r: 0, f1: 0 });
  });
});

describe('maxBipartiteMatching', () => {
  it('finds the maximum matching where a greedy choice would not', () => {
    // Row 0 can take col 0 or 1, row 1 only col 0: greedy row 0 → col 0 leaves row 1 unmatched.
    const edges = [
      [true, true],
      [true, false],
    ];
    const pairs = maxBipartiteMatching(2, 2, (i, j) => edges[i]?.[j] === true);
    expect(pairs).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('handles empty sides', () => {
    expect(maxBipartiteMatching(0, 3, () => true)).toEqual([]);
    expect(maxBipartiteMatching(3, 0, () => true)).toEqual([]);
  });

  it('matches each column at most once', () => {
    expect(maxBipartiteMatching(3, 1, () => true)).toHaveLength(1);
  });
});

describe('entity matching (strict φ, one-to-one)', () => {
  it('matches when every predicted mention is one of the gold mentions, after normalisation', () => {
    expect(entityMatches(['shining path', 'sendero luminoso'], ['The Shining Path'])).toBe(true);
    expect(entityMatches(['shining path', 'sendero luminoso'], ['shining path', 'sendero luminoso'])).toBe(
      true,
    );
    expect(entityMatches(['shining path'], ['shining path', 'maoists'])).toBe(false);
    expect(entityMatches(['shining path'], [])).toBe(false);
  });

  it('is exact string match, not head-noun or substring', () => {
    expect(entityMatches(['car bomb'], ['bomb'])).toBe(false);
    expect(entityMatches(['bomb'], ['car bomb'])).toBe(false);
  });

  it('aligns one-to-one: two predictions cannot both match one gold entity', () => {
    const gold = [['fmln', 'farabundo marti national liberation front']];
    const pred = [['fmln'], ['farabundo marti national liberation front']];
    expect(scoreEntities(pred, gold)).toEqual({ matched: 1, predicted: 2, gold: 1 });
  });

  it('counts predictions and gold entities, ignoring gold entities without mentions', () => {
    expect(scoreEntities([['embassy'], ['bus']], [['embassy'], [], ['house']])).toEqual({
      matched: 1,
      predicted: 2,
      gold: 2,
    });
    expect(scoreEntities([], [['house']])).toEqual({ matched: 0, predicted: 0, gold: 1 });
  });
});

describe('dedupeTemplates', () => {
  it('drops exact duplicates whatever the key order, keeping the first', () => {
    const a = { incident_type: 'attack', PerpOrg: [[['fmln', 3]]], Target: [] };
    const b = { Target: [], PerpOrg: [[['fmln', 3]]], incident_type: 'attack' };
    const c = { incident_type: 'bombing', PerpOrg: [[['fmln', 3]]], Target: [] };
    expect(dedupeTemplates([a, b, c])).toEqual([a, c]);
  });
});

const EMPTY: Muc4Roles = { PerpInd: [], PerpOrg: [], Target: [], Victim: [], Weapon: [] };
const template = (t: Partial<Muc4Template>): Muc4Template => ({ incident_type: 'attack', ...EMPTY, ...t });

describe('documentEntities (templates merged per document for CEAF-REE)', () => {
  it('merges entities that share a normalised mention, across templates', () => {
    const roles = documentEntities([
      template({ PerpOrg: [['fmln']], Target: [['the embassy']] }),
      template({
        PerpOrg: [['farabundo marti national liberation front', 'FMLN'], ['shining path']],
        Target: [['embassy'], ['power pylons']],
      }),
    ]);
    expect(roles.PerpOrg).toEqual([['fmln', 'farabundo marti national liberation front'], ['shining path']]);
    expect(roles.Target).toEqual([['the embassy'], ['power pylons']]);
  });

  it('joins two earlier entities that a later one links, and drops empty mentions', () => {
    const roles = documentEntities([template({ Victim: [['x'], ['y'], ['the'], ['x', 'y']] })]);
    expect(roles.Victim).toEqual([['x', 'y']]);
  });
});

describe('ceafRee', () => {
  it('sums counts over documents and micro-averages the five roles', () => {
    const score = ceafRee([
      { pred: { ...EMPTY, PerpOrg: [['fmln']] }, gold: { ...EMPTY, PerpOrg: [['fmln']], Victim: [['x']] } },
      { pred: { ...EMPTY, Target: [['bus'], ['car']] }, gold: { ...EMPTY, Target: [['bus']] } },
    ]);
    expect(score.documents).toBe(2);
    expect(score.roles.PerpOrg).toMatchObject({ matched: 1, predicted: 1, gold: 1, p: 1, r: 1, f1: 1 });
    expect(score.roles.Target).toMatchObject({ matched: 1, predicted: 2, gold: 1 });
    expect(score.roles.Victim).toMatchObject({ matched: 0, predicted: 0, gold: 1, f1: 0 });
    expect(score.micro).toMatchObject({ matched: 2, predicted: 3, gold: 3 });
    expect(score.micro.f1).toBeCloseTo(2 / 3);
  });
});
