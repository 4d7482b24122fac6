import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flip, readableForms, revealed } from './cursor-forms.js';
import { firstDifference, leaked, mostRestrictive, normaliseTimes, sees } from './helpers.js';

// The harness of the TLP suites, checked on its own: a comparison that normalised too much or a
// cursor check that could not see a value would make those suites pass for the wrong reason.

describe('the harness of the TLP suites', () => {
  const since = Date.parse('2026-01-01T00:00:00.000Z');

  it('normaliseTimes replaces wall-clock timestamps by their rank per property, and nothing else', () => {
    const a = normaliseTimes(
      {
        created_at: '2026-03-01T10:00:00.500Z',
        list: [{ created_at: '2026-03-01T10:00:00.100Z' }, { created_at: '2026-03-01T10:00:00.500Z' }],
        ingested_at: '2026-03-01T09:00:00.000Z',
        published: '2024-05-12',
        date: '2024-05-12T00:00:00.000Z',
        text: 'Generated 2026-03-01T10:00:00.100Z by Vigil',
      },
      since,
    );
    expect(a).toEqual({
      created_at: '@created_at#1',
      list: [{ created_at: '@created_at#0' }, { created_at: '@created_at#1' }],
      ingested_at: '@ingested_at#0',
      published: '2024-05-12',
      date: '2024-05-12T00:00:00.000Z',
      text: 'Generated @#0 by Vigil',
    });
    // Same order, other times: equal; another order: not.
    const at = (x: string, y: string) => normaliseTimes([{ t: x }, { t: y }], since);
    expect(at('2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z')).toEqual(
      at('2026-05-01T10:00:00.000Z', '2026-05-01T10:00:01.000Z'),
    );
    expect(at('2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z')).not.toEqual(
      at('2026-05-01T10:00:01.000Z', '2026-05-01T10:00:00.000Z'),
    );
  });

  it('firstDifference finds the first differing path, and none in equal values', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBeUndefined();
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })?.path).toBe('$.a[1].b');
    expect(firstDifference({ a: [1] }, { a: [1, 2] })?.path).toBe('$.a.length');
    expect(firstDifference({ a: 1 }, { a: 1, b: null })?.path).toBe('$.b');
    expect(firstDifference({ killed: null }, { killed: { value: 6 } })?.path).toBe('$.killed');
  });

  it('leaked and mostRestrictive', () => {
    expect(leaked('... the OSTRAKINE stop ...', ['Ostrakine', 'Brimwick', ''])).toEqual(['Ostrakine']);
    expect(mostRestrictive(['clear', 'amber', 'green'])).toBe('amber');
    expect(mostRestrictive(['clear'])).toBe('clear');
    expect(mostRestrictive(['red', 'amber+strict'])).toBe('red');
  });

  it('sees follows TLP 2.0 with alpha sharing its AMBER with beta', () => {
    const a = (tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red', recipients?: string[]) => ({
      poster: 'alphaAnalyst' as const,
      tlp,
      ...(recipients ? { recipients } : {}),
    });
    expect(sees('gammaAnalyst', a('green'))).toBe(true);
    expect(sees('betaViewer', a('amber'))).toBe(true);
    expect(sees('gammaAnalyst', a('amber'))).toBe(false);
    expect(sees('betaViewer', a('amber+strict'))).toBe(false);
    expect(sees('alphaOrgKey', a('amber+strict'))).toBe(true);
    expect(sees('alphaAnalyst', a('red', ['beta/bo']))).toBe(true);
    expect(sees('betaAnalyst', a('red', ['beta/bo']))).toBe(true);
    expect(sees('alphaViewer', a('red', ['beta/bo']))).toBe(false);
    expect(sees('alphaOrgKey', a('red'))).toBe(false);
    expect(sees('alphaAnalyst', { poster: 'gammaAnalyst', tlp: 'amber' })).toBe(false);
  });

  it('revealed sees a value in the old cursor format and in readable variants, not in random tokens', () => {
    const old = Buffer.from(JSON.stringify(['killed', 'desc', 14, '321591fbfe75dfd6'])).toString('base64url');
    expect(revealed(old, [14, 9])).toEqual(['14']);
    expect(
      revealed(Buffer.from(JSON.stringify(['2024-03-04', 'x'])).toString('base64url'), ['2024-03-04']),
    ).toEqual(['2024-03-04']);
    expect(revealed('killed.desc.14.abc', [14])).toEqual(['14']);
    expect(revealed(`${Buffer.from('{"k":"SO"}').toString('base64url')}.c2lnbmF0dXJl`, ['SO'])).toEqual([
      'SO',
    ]);
    expect(revealed(Buffer.from('["country","asc","so"]').toString('hex'), ['SO'])).toEqual(['SO']);
    expect(revealed(old, [4])).toEqual([]); // "14" is not "4"
    for (let n = 0; n < 300; n++) {
      const token = randomBytes(24 + (n % 40)).toString('base64url');
      expect(revealed(token, [1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 'SO', 'KE', '2024-03-04']), token).toEqual([]);
      expect(readableForms(token), token).toEqual([]);
    }
  });

  it('flip changes exactly one character, and always a bit of the decoded data', () => {
    const cursor = Buffer.from(JSON.stringify(['2024-03-04', '321591fbfe75dfd6'])).toString('base64url');
    for (let at = 0; at < cursor.length; at++) {
      const changed = flip(cursor, at);
      expect(changed).toHaveLength(cursor.length);
      expect([...changed].filter((c, n) => c !== cursor[n])).toHaveLength(1);
      expect(Buffer.from(changed, 'base64url').equals(Buffer.from(cursor, 'base64url')), `at ${at}`).toBe(
        false,
      );
    }
    expect(flip('a.b', 1)).toBe('aAb');
  });
});
