import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { IncidentEvidence } from '../../src/resolve/index.js';
import { documentId } from '../../src/sources/index.js';

const shared = new URL('../../../shared/examples/', import.meta.url);
const text = readFileSync(new URL('moscow-concert-hall.txt', shared), 'utf8');
const expected = JSON.parse(readFileSync(new URL('moscow-concert-hall.expected.json', shared), 'utf8'));
const doc = {
  id: documentId(text),
  text,
  published: expected.input.published as string,
  title: null,
  url: null,
  outlet: null,
  language: 'eng',
  origin: 'moscow-concert-hall.txt',
};
const incidents = incidentsOf(doc, new Map(loadGroups().map((g) => [g.id, g])));
const [incident] = incidents;
const want = expected.incidents[0];

function evidenceFor(field: string): IncidentEvidence[] {
  return incident?.evidence.filter((e) => e.field === field) ?? [];
}

describe('the founding article (Moscow concert hall attack)', () => {
  it('reports exactly one incident', () => {
    expect(incidents).toHaveLength(1);
  });

  it('dates the attack from "March 22nd" against the publication date', () => {
    expect(incident?.date).toEqual({ date: want.date, precision: 'day' });
  });

  it('places it in Moscow, Russia, with coordinates', () => {
    expect(incident?.city).toBe(want.city);
    expect(incident?.country).toBe(want.country);
    expect(incident?.lat).toBeCloseTo(55.75, 1);
    expect(incident?.lon).toBeCloseTo(37.62, 1);
  });

  it('codes an armed assault on private citizens at a concert hall', () => {
    expect(incident?.attackTypes).toEqual(want.attack_types);
    expect(incident?.targetTypes).toEqual(want.target_types);
    expect(incident?.targetText).toEqual(want.target_text);
  });

  it('attributes it to ISKP as identified, never as claimed', () => {
    expect(incident?.perpetratorGroups).toHaveLength(1);
    const [group] = incident?.perpetratorGroups ?? [];
    expect(group?.group).toBe(want.perpetrator_groups[0].group);
    expect(group?.attribution).toBe('identified');
    expect(group?.aliasesSeen).toEqual(expect.arrayContaining(want.perpetrator_groups[0].aliases_seen));
  });

  it('counts at least four attackers, Tajik nationals, and 139 killed', () => {
    expect(incident?.perpetratorsMin).toBe(want.perpetrators_min);
    expect(incident?.perpetratorNationalities).toEqual(want.perpetrator_nationalities);
    expect(incident?.killed?.value).toBe(want.killed.value);
    expect(['at_least', 'exact']).toContain(incident?.killed?.qualifier);
  });

  it.each(want.evidence_required_for as string[])(
    'keeps evidence for %s that slices the document exactly',
    (field) => {
      const evidence = evidenceFor(field);
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) {
        expect(e.documentId).toBe(doc.id);
        expect(text.slice(e.start, e.end)).toBe(e.text);
        expect(e.sentence).toContain(e.text);
        expect(text).toContain(e.sentence);
      }
    },
  );

  it('points each field at the phrase that proves it', () => {
    const phrase = (field: string) => evidenceFor(field).map((e) => e.text);
    expect(phrase('date')).toContain('March 22nd');
    expect(phrase('perpetrators_min')).toContain('at least four gunmen');
    expect(phrase('perpetrator_nationalities')).toContain('Tajik nationals');
    expect(phrase('perpetrator_groups')[0]).toMatch(
      /identified as members of the Islamic State Khorasan Province/,
    );
    expect(phrase('killed')[0]).toMatch(/139/);
  });

  it('extracts nothing for the places the article names only as background', () => {
    for (const i of incidents) expect(['SY', 'US', 'AF']).not.toContain(i.country);
  });
});
