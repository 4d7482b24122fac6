import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsIn } from '../extract/cases.js';

/**
 * Short news sentences, written apart from `data/groups.json`, each naming a group in a perpetrator
 * role by one of its names as the press writes it (any case, punctuation, hyphens, diacritics, a
 * leading "the", transliterations, names in Arabic, Russian, Spanish or French), with the group it
 * must link to; `null` when nothing may be linked: a name two groups share that the sentence does not
 * settle, or a short alias that is an ordinary word in prose ("is", "let", "hum").
 */
interface AliasCase {
  readonly sentence: string;
  readonly alias: string;
  readonly expected: string | null;
  readonly note?: string;
}

const FIXTURE = fileURLToPath(new URL('../fixtures/aliases.json', import.meta.url));
const cases = JSON.parse(readFileSync(FIXTURE, 'utf8')) as AliasCase[];

const REQUIRED_ACCURACY = 0.95;

/** The knowledge-base groups the extractor links in a sentence (groups it discovers are not links). */
const linkedIn = (sentence: string) => [
  ...new Set(
    incidentsIn(sentence).flatMap((i) =>
      i.perpetratorGroups.filter((g) => !g.groupId.startsWith('discovered:')).map((g) => g.groupId),
    ),
  ),
];

const outcomes = cases.map((c) => {
  const linked = linkedIn(c.sentence);
  const correct = c.expected === null ? linked.length === 0 : linked.length === 1 && linked[0] === c.expected;
  return { ...c, linked, correct };
});

const describeFailure = (o: (typeof outcomes)[number]) =>
  `  "${o.alias}" expected ${o.expected ?? 'no link'}, got ${o.linked.join(', ') || 'no link'}: ${o.sentence}`;

describe('alias resolution on news sentences (test/fixtures/aliases.json)', () => {
  it('is a fixture of at least 220 cases over at least 150 groups, each naming its alias', () => {
    expect(cases.length).toBeGreaterThanOrEqual(220);
    const known = new Set(loadGroups().map((g) => g.id));
    const expected = cases.flatMap((c) => (c.expected === null ? [] : [c.expected]));
    expect(expected.filter((id) => !known.has(id))).toEqual([]);
    expect(new Set(expected).size).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => !c.sentence.includes(c.alias)).map((c) => c.alias)).toEqual([]);
    const written = (pattern: RegExp) => cases.filter((c) => pattern.test(c.sentence)).length;
    expect(written(/^[^\p{Lu}]*$/u), 'all lower case').toBeGreaterThan(5);
    expect(written(/^[^\p{Ll}]*$/u), 'all upper case').toBeGreaterThan(5);
  });

  it('links at least 95% of the cases to the right group', () => {
    const correct = outcomes.filter((o) => o.correct).length;
    const accuracy = correct / outcomes.length;
    const failures = outcomes.filter((o) => !o.correct).map(describeFailure);
    console.info(
      `alias resolution: ${correct}/${outcomes.length} correct (${(accuracy * 100).toFixed(1)}%)` +
        (failures.length > 0 ? `\n${failures.join('\n')}` : ''),
    );
    expect(
      accuracy,
      `${correct}/${outcomes.length} correct; failing:\n${failures.join('\n')}`,
    ).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });

  it('never links a name it must decline (shared names not settled, ordinary words)', () => {
    const mustNot = outcomes.filter((o) => o.expected === null);
    expect(mustNot.length).toBeGreaterThanOrEqual(15);
    expect(mustNot.filter((o) => !o.correct).map(describeFailure)).toEqual([]);
  });
});
