import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  audienceLevel,
  audienceOf,
  audienceTokens,
  type Clearance,
  clearanceTokens,
  documentMarking,
  type Holding,
  holdingKey,
  MARKING_LEVELS,
  mostRestrictive,
  RESTRICTED_TOKEN,
} from '../../src/tlp/index.js';

const ORGS = ['alpha', 'beta', 'gamma'];
const USERS = ['alpha/ana', 'beta/bo', 'gamma/gil'];

const holding: fc.Arbitrary<Holding> = fc.record({
  tlp: fc.constantFrom(...MARKING_LEVELS),
  org: fc.option(fc.constantFrom(...ORGS), { nil: null }),
  recipients: fc.uniqueArray(fc.constantFrom(...USERS), { maxLength: 3 }),
});
const clearance: fc.Arbitrary<Clearance> = fc
  .record({
    org: fc.constantFrom(...ORGS),
    user: fc.option(fc.constantFrom('ana', 'bo', 'gil'), { nil: null }),
    sharedBy: fc.uniqueArray(fc.constantFrom(...ORGS), { maxLength: 3 }),
  })
  .map(({ org, user, sharedBy }) => ({
    org,
    userId: user === null ? null : `${org}/${user}`,
    amberOrgs: [...new Set([org, ...sharedBy])],
  }));

describe('audiences', () => {
  it('see and mark a document as its holdings do, for every caller', () => {
    fc.assert(
      fc.property(fc.array(holding, { maxLength: 4 }), clearance, (holdings, c) => {
        expect(audienceLevel(c, audienceOf(holdings))).toBe(documentMarking(c, holdings));
      }),
      { numRuns: 2000 },
    );
  });

  it('give the search index the tokens that the callers who see them ask for, and no others', () => {
    fc.assert(
      fc.property(fc.array(holding, { maxLength: 4 }), clearance, (holdings, c) => {
        const audience = audienceOf(holdings);
        const tokens = audienceTokens(audience, false);
        const asked = new Set(clearanceTokens(c));
        // What a search finds: no restricted token, or one of the caller's.
        const found = !tokens.includes(RESTRICTED_TOKEN) || tokens.some((t) => asked.has(t));
        expect(found).toBe(audienceLevel(c, audience) !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it('are one string for documents every caller sees alike, whatever the order of their holdings', () => {
    const amber: Holding = { tlp: 'amber', org: 'alpha', recipients: [] };
    const red: Holding = { tlp: 'red', org: 'beta', recipients: ['gamma/gil', 'beta/bo'] };
    expect(audienceOf([amber, red])).toBe(audienceOf([red, amber]));
    expect(audienceOf([amber, red])).toBe('amber:alpha red:beta/bo,gamma/gil');
    expect(audienceOf([])).toBeNull();
    expect(audienceOf([amber, { tlp: 'clear', org: 'gamma', recipients: [] }])).toBeNull();
    expect(audienceOf([amber, { tlp: 'green', org: null, recipients: [] }])).toBe('green');
  });

  it('find nothing of a mixed incident by search (its views are searched apart)', () => {
    expect(audienceTokens(null, true)).toEqual([RESTRICTED_TOKEN]);
    expect(audienceTokens(null, false)).toEqual([]);
  });

  it('key a holding the same way whatever the order of its recipients', () => {
    expect(holdingKey({ tlp: 'red', org: 'a', recipients: ['x/1', 'y/2'] })).toBe(
      holdingKey({ tlp: 'red', org: 'a', recipients: ['y/2', 'x/1', 'x/1'] }),
    );
    expect(holdingKey({ tlp: 'amber', org: 'a', recipients: ['x/1'] })).toBe(
      holdingKey({ tlp: 'amber', org: 'a', recipients: [] }),
    );
  });

  it('mark what is derived with the most restrictive marking of what it comes from', () => {
    expect(mostRestrictive(['clear', 'amber', 'green'])).toBe('amber');
    expect(mostRestrictive([])).toBeNull();
  });
});
