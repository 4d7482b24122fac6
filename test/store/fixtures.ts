import { createHash } from 'node:crypto';
import type { ArmedGroup } from '../../src/knowledge/groups.js';
import {
  blankIncident,
  type EvidencedField,
  type Incident,
  type IncidentEvidence,
} from '../../src/resolve/incident.js';
import type { Document } from '../../src/sources/document.js';

const CROCUS =
  'MOSCOW, March 23 (Reuters) - Gunmen opened fire on concertgoers at Crocus City Hall in Krasnogorsk, ' +
  'outside Moscow, on Friday, killing at least 139 people and wounding 182 others. ' +
  'Islamic State Khorasan (ISKP) claimed responsibility for the attack. ' +
  'Four Tajik nationals were charged after the gunmen set the building on fire.';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A Reuters-style report; pass `text` for a different article (the id follows the text). */
export function makeDocument(overrides: Partial<Document> = {}): Document {
  const text = overrides.text ?? CROCUS;
  return {
    id: sha256(text),
    text,
    title: 'Gunmen kill 139 at Moscow concert hall',
    url: 'https://www.reuters.com/world/europe/crocus-city-hall-attack-2024-03-23/',
    outlet: 'Reuters',
    published: '2024-03-23T08:15:00Z',
    language: 'eng',
    origin: 'samples/crocus.jsonl:1',
    ...overrides,
  };
}

/** Evidence for `quote`, located in the document's text with the sentence around it. */
export function evidenceFor(
  doc: Document,
  field: EvidencedField,
  value: string,
  quote: string,
  inferred = false,
): IncidentEvidence {
  const start = doc.text.indexOf(quote);
  if (start < 0) throw new Error(`fixture: "${quote}" is not in the document`);
  const end = start + quote.length;
  const sentenceStart = doc.text.lastIndexOf('. ', start) + 1;
  const stop = doc.text.indexOf('. ', end);
  const sentence = doc.text.slice(sentenceStart, stop < 0 ? doc.text.length : stop + 1).trim();
  return { documentId: doc.id, start, end, text: quote, sentence, field, value, inferred };
}

/** A fully populated incident as the resolver would produce it from `doc` (the Crocus attack by default). */
export function makeIncident(doc: Document, overrides: Partial<Incident> = {}): Incident {
  return {
    id: sha256(`${doc.id}:0`),
    date: { date: '2024-03-22', precision: 'day' },
    country: 'RU',
    city: 'Krasnogorsk',
    lat: 55.8204,
    lon: 37.33,
    placePrecision: 'city',
    attackTypes: ['armed_assault', 'facility_infrastructure'],
    weaponTypes: ['firearms', 'incendiary'],
    targetTypes: ['private_citizens_property'],
    targetText: ['concertgoers', 'Crocus City Hall'],
    perpetratorGroups: [
      {
        groupId: 'iskp',
        group: 'Islamic State Khorasan Province',
        aliasesSeen: ['ISKP', 'Islamic State Khorasan'],
        attribution: 'claimed',
        discovered: false,
      },
      {
        groupId: 'islamic-state',
        group: 'Islamic State',
        aliasesSeen: [],
        attribution: 'suspected',
        discovered: false,
      },
    ],
    perpetratorsMin: 4,
    perpetratorsMax: 4,
    perpetratorNationalities: ['TJ'],
    perpetratorText: ['at least four gunmen'],
    victimText: [],
    weaponText: [],
    physicalTargetText: ['concert hall'],
    killed: { value: 139, min: 139, max: null, qualifier: 'at_least' },
    wounded: { value: 182, min: 182, max: 182, qualifier: 'exact' },
    kidnapped: null,
    perpetratorsKilled: { value: 0, min: 0, max: 0, qualifier: 'exact' },
    suicide: false,
    outcome: 'carried_out',
    sources: [doc.id],
    evidence: doc.text.includes('Krasnogorsk')
      ? [
          evidenceFor(doc, 'date', '2024-03-22', 'on Friday', true),
          evidenceFor(doc, 'city', 'Krasnogorsk', 'Krasnogorsk'),
          evidenceFor(doc, 'country', 'RU', 'Krasnogorsk', true),
          evidenceFor(doc, 'attack_types', 'armed_assault', 'Gunmen opened fire'),
          evidenceFor(doc, 'target_text', 'concertgoers', 'concertgoers'),
          evidenceFor(doc, 'perpetrator_groups', 'iskp', 'Islamic State Khorasan (ISKP) claimed'),
          evidenceFor(doc, 'perpetrators_min', '4', 'Four'),
          evidenceFor(doc, 'perpetrator_nationalities', 'TJ', 'Tajik'),
          evidenceFor(doc, 'killed', '139', 'killing at least 139'),
          evidenceFor(doc, 'wounded', '182', 'wounding 182'),
        ]
      : [],
    ...overrides,
  };
}

/** An incident with nothing known but its source: every nullable field null, every list empty. */
export function makeBareIncident(doc: Document, id = sha256(`${doc.id}:1`)): Incident {
  return blankIncident(id, [doc.id]);
}

export function makeGroup(overrides: Partial<ArmedGroup> = {}): ArmedGroup {
  return {
    id: 'iskp',
    name: 'Islamic State Khorasan Province',
    aliases: ['ISKP', 'ISIS-K', 'Islamic State Khorasan'],
    ideology: 'jihadist',
    parent: null,
    relations: [],
    adversaries: ['Taliban'],
    media_arms: ['Al-Azaim'],
    home_countries: ['AF', 'PK'],
    active_from: 2015,
    active_to: null,
    designations: [{ by: 'US', list: 'FTO', since: 2016 }],
    ...overrides,
  };
}
