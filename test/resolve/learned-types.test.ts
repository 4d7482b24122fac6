import { describe, expect, it } from 'vitest';
import { blankIncident, type Incident, type IncidentEvidence, scoreMatch } from '../../src/resolve/index.js';

const SENTENCE = 'Gunmen opened fire on a bus station in the town on Friday.';

/** Evidence for one type value: stated by a word, or inferred by a learned scorer. */
function typed(field: 'attack_types' | 'target_types', value: string, inferred: boolean): IncidentEvidence {
  return { documentId: 'd', start: 0, end: 6, text: 'Gunmen', sentence: SENTENCE, field, value, inferred };
}

function report(overrides: Partial<Incident>): Incident {
  return {
    ...blankIncident('r', []),
    date: { date: '2024-05-10', precision: 'day' },
    country: 'NG',
    city: 'Maiduguri',
    ...overrides,
  };
}

describe('types a learned scorer chose without a word stating them', () => {
  const stated = report({
    attackTypes: ['bombing_explosion'],
    targetTypes: ['transportation'],
    evidence: [
      typed('attack_types', 'bombing_explosion', false),
      typed('target_types', 'transportation', false),
    ],
  });

  it('do not argue against a merge', () => {
    const learned = report({
      attackTypes: ['hostage_kidnapping'],
      targetTypes: ['private_citizens_property'],
      evidence: [
        typed('attack_types', 'hostage_kidnapping', true),
        typed('target_types', 'private_citizens_property', true),
      ],
    });
    const m = scoreMatch(stated, learned);
    expect(m.reasons.join('; ')).not.toMatch(/different attack types|different targets/);
  });

  it('while stated ones still do', () => {
    const other = report({
      attackTypes: ['hostage_kidnapping'],
      targetTypes: ['private_citizens_property'],
      evidence: [
        typed('attack_types', 'hostage_kidnapping', false),
        typed('target_types', 'private_citizens_property', false),
      ],
    });
    const m = scoreMatch(stated, other);
    expect(m.reasons.join('; ')).toMatch(/different attack types/);
    expect(m.reasons.join('; ')).toMatch(/different targets/);
    expect(m.score).toBeLessThan(scoreMatch(stated, report({})).score);
  });
});
