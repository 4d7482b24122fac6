import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTACK_TYPES } from '../../src/extract/types.js';
import { blankIncident, type Incident, type IncidentEvidence, scoreMatch } from '../../src/resolve/index.js';
import { siteNames } from '../../src/resolve/names.js';

/** Evidence of one field, the text found inside its sentence. */
function said(field: IncidentEvidence['field'], text: string, sentence: string): IncidentEvidence {
  const start = sentence.indexOf(text);
  return {
    documentId: 'd',
    start,
    end: start + text.length,
    text,
    sentence,
    field,
    value: text,
    inferred: false,
  };
}

function report(evidence: IncidentEvidence[], overrides: Partial<Incident> = {}): Incident {
  return {
    ...blankIncident('r', []),
    date: { date: '2023-11-14', precision: 'day' },
    country: 'NG',
    attackTypes: ['armed_assault'],
    targetText: evidence.filter((e) => e.field === 'target_text').map((e) => e.text.toLowerCase()),
    evidence,
    ...overrides,
  };
}

describe('names of the attacked site', () => {
  it('reads capitalised words of the target text that are not generic', () => {
    const s = 'Gunmen stormed the Kestrel Plaza hotel in the city centre on Tuesday.';
    expect(siteNames(report([said('target_text', 'Kestrel Plaza hotel', s)]))).toEqual(['kestrel']);
  });

  it('reads a name before a site noun anywhere in the evidence ("Harwick Lane")', () => {
    const s = 'A van ploughed into diners on Harwick Lane late on Friday, killing nine.';
    expect(siteNames(report([said('killed', 'nine', s)]))).toEqual(['harwick']);
  });

  it('ignores faiths, ranks, weekdays, countries, the report’s own town and a capital that only opens a sentence', () => {
    const reportOf = (text: string, sentence: string, city: string | null = null) =>
      siteNames(report([said('target_text', text, sentence)], { city }));
    expect(reportOf('Shiite mosque', 'A bomber struck a Shiite mosque during Friday prayers.')).toEqual([]);
    expect(reportOf('Grand Hotel', 'Militants attacked the Grand Hotel near the Nigerian border.')).toEqual(
      [],
    );
    expect(reportOf('Lagos airport', 'Shots were fired at the Lagos airport terminal.', 'Lagos')).toEqual([]);
    expect(reportOf('Bakeries', 'Bakeries were set alight by the attackers.')).toEqual([]);
    expect(reportOf('Tuesday market', 'Gunmen raided the Tuesday market, witnesses said.')).toEqual([]);
  });
});

describe('a shared site name in scoring', () => {
  const kestrel = report([
    said('target_text', 'Kestrel Plaza hotel', 'Gunmen stormed the Kestrel Plaza hotel in the city centre.'),
  ]);
  it('counts more than a shared common noun', () => {
    const named = scoreMatch(
      kestrel,
      report([said('target_text', 'Kestrel hotel', 'The siege of the Kestrel hotel ended on Friday.')]),
    );
    const common = scoreMatch(
      kestrel,
      report([said('target_text', 'hotel', 'Gunmen also attacked a hotel near the port.')]),
    );
    expect(named.reasons).toContain('same named target (kestrel)');
    expect(common.reasons).toContain('same target (hotel)');
    expect(named.score).toBe(common.score + 1);
  });

  it('gives nothing to two reports naming different sites', () => {
    const other = report([
      said('target_text', 'Orwell Street market', 'A bomb hit the Orwell Street market.'),
    ]);
    expect(scoreMatch(kestrel, other).reasons.join(' ')).not.toMatch(/named target/);
  });
});

describe('attack types one attack can have', () => {
  it('does not count a siege against an armed assault, but does a shooting against a bombing', () => {
    const siege = report([], { attackTypes: ['hostage_barricade'] });
    const assault = report([], { attackTypes: ['armed_assault'] });
    const bombing = report([], { attackTypes: ['bombing_explosion'] });
    const same = scoreMatch(assault, siege);
    expect(same.reasons.join(' ')).toMatch(/attack types one attack can have/);
    expect(scoreMatch(assault, bombing).reasons.join(' ')).toMatch(/different attack types/);
    expect(same.score).toBe(scoreMatch(assault, bombing).score + 1);
  });
});

describe('data/resolve', () => {
  const read = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../data/resolve/${name}`, import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
  it('generic-names.json lists lower-case words, site nouns among them', () => {
    const data = read('generic-names.json') as { words: string[]; site_nouns: string[] };
    for (const w of [...data.words, ...data.site_nouns]) expect(w).toMatch(/^[\p{Ll}\p{N}'’-]+$/u);
    expect(data.site_nouns).toContain('street');
  });

  it('attack-types.json pairs GTD attack types', () => {
    const types = new Set<string>(ATTACK_TYPES.filter((t) => t !== 'unknown'));
    const data = read('attack-types.json') as { compatible: [string, string][] };
    for (const [a, b] of data.compatible) {
      expect(types.has(a) && types.has(b) && a !== b, `${a} ${b}`).toBe(true);
    }
  });
});
