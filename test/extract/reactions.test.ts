import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIncidents, extractReactions, type Reaction } from '../../src/extract/index.js';
import { FOUNDING } from '../analyze/helpers.js';

const read = (text: string, incidents = []) => extractReactions({ id: 'doc', text }, incidents);
const brief = (r: Reaction) => [r.actor.country, r.kind, r.target, r.actor.text];

describe('reactions of states', () => {
  it('finds the United States expressing deep concerns in the founding article, with evidence', () => {
    const text = readFileSync(FOUNDING, 'utf8');
    const drafts = extractIncidents({ id: 'founding', text, published: '2024-03-25' });
    const incidents = drafts.map((d, n) => ({
      id: `draft-${n}`,
      evidence: [d.date, d.place, d.killed].flatMap((f) => f?.evidence ?? []),
    }));
    const reactions = extractReactions({ id: 'founding', text }, incidents);
    expect(reactions).toHaveLength(1);
    const [us] = reactions;
    expect(us).toMatchObject({
      kind: 'concern',
      actor: { country: 'US', text: 'the United States', form: 'country' },
      target: null,
      cue: 'expressing deep concerns',
      incident: 'draft-0',
      evidence: { documentId: 'founding', text: 'the United States expressing deep concerns' },
    });
    expect(us?.evidence.sentence).toMatch(/^Furthermore, the attack has prompted/);
    expect(text.slice(us?.evidence.start, us?.evidence.end)).toBe(us?.evidence.text);
    // Same text, same reactions.
    expect(extractReactions({ id: 'founding', text }, incidents)).toEqual(reactions);
  });

  it('reads countries, capitals, offices and leaders, and whom a reaction is aimed at', () => {
    const text = [
      'Moscow blamed Ukraine for the attack.',
      'Tajikistan condemned the attack.',
      'The Tajik foreign ministry strongly condemned the killings.',
      'The attack in Moscow was condemned by the United States.',
      'President Biden offered condolences to Russia.',
      'The Kremlin blamed the attack on Ukraine.',
      'Russian Foreign Minister Sergei Lavrov threatened Tajikistan.',
      'The foreign ministry of Uzbekistan expressed deep concern.',
      'Washington imposed sanctions on Iran.',
      'Germany offered help to Russia.',
    ].join(' ');
    expect(read(text).map(brief)).toEqual([
      ['RU', 'blame', 'UA', 'Moscow'],
      ['TJ', 'condemn', null, 'Tajikistan'],
      ['TJ', 'condemn', null, 'The Tajik foreign ministry'],
      ['US', 'condemn', null, 'the United States'],
      ['US', 'condolence', 'RU', 'President Biden'],
      ['RU', 'blame', 'UA', 'The Kremlin'],
      ['RU', 'threaten', 'TJ', 'Russian Foreign Minister Sergei Lavrov'],
      ['UZ', 'concern', null, 'The foreign ministry of Uzbekistan'],
      ['US', 'sanction', 'IR', 'Washington'],
      ['DE', 'support', 'RU', 'Germany'],
    ]);
  });

  it('leaves out denials, passives without an agent, groups, peoples and places of attack', () => {
    const text = [
      'Russia did not condemn the attack.',
      'The attack was condemned.',
      'ISKP, which has attacked Russia, Iran and Pakistan, threatened more attacks.',
      'Islamic State threatened Russia.',
      'The accused men appeared in court.',
      'Russians mourned the victims.',
      'Security concerns remain high.',
    ].join(' ');
    expect(read(text)).toEqual([]);
  });

  it('ties each reaction to the incident spoken of last before it', () => {
    const text =
      'A bomb killed five in Kabul. Pakistan condemned it. Later, gunmen killed ten in Peshawar. Iran condemned that attack.';
    const incidents = [
      { id: 'kabul', evidence: [{ documentId: 'doc', start: text.indexOf('Kabul') }] },
      { id: 'peshawar', evidence: [{ documentId: 'doc', start: text.indexOf('Peshawar') }] },
    ];
    expect(read(text, incidents as never).map((r) => [r.actor.country, r.incident])).toEqual([
      ['PK', 'kabul'],
      ['IR', 'peshawar'],
    ]);
  });
});
