import { describe, expect, it } from 'vitest';
import {
  countOutcome,
  emptyTally,
  formatCount,
  formatDate,
  formatPlace,
  incidentDetail,
  incidentsTable,
  markEvidence,
  offsetInSentence,
  outcomeJson,
  outcomeLine,
  renderTable,
  statsText,
  summaryLine,
} from '../../src/cli/format.js';
import type { IngestOutcome } from '../../src/pipeline/ingest.js';
import type { Incident, IncidentEvidence } from '../../src/resolve/index.js';

const DOC = 'd'.repeat(64);
const TEXT =
  'Gunmen attacked a hall. On March 22nd, gunmen attacked a concert hall in Moscow, claiming 139 lives.';
const SENTENCE = 'On March 22nd, gunmen attacked a concert hall in Moscow, claiming 139 lives.';
const at = (text: string) => TEXT.indexOf(text, TEXT.indexOf(SENTENCE));

function evidence(
  field: IncidentEvidence['field'],
  value: string,
  text: string,
  inferred = false,
): IncidentEvidence {
  const start = at(text);
  return {
    field,
    value,
    inferred,
    documentId: DOC,
    start,
    end: start + text.length,
    text,
    sentence: SENTENCE,
  };
}

const INCIDENT: Incident = {
  id: '071255d2e134b9be',
  date: { date: '2024-03-22', precision: 'day' },
  country: 'RU',
  city: 'Moscow',
  lat: 55.75222,
  lon: 37.61556,
  placePrecision: 'city',
  attackTypes: ['armed_assault'],
  weaponTypes: ['firearms'],
  targetTypes: ['private_citizens_property'],
  targetText: ['concert hall'],
  perpetratorGroups: [
    {
      groupId: 'iskp',
      group: 'Islamic State Khorasan Province',
      aliasesSeen: ['ISKP'],
      attribution: 'identified',
      discovered: false,
    },
  ],
  perpetratorsMin: 4,
  perpetratorsMax: null,
  perpetratorNationalities: ['TJ'],
  perpetratorText: ['at least four gunmen'],
  victimText: [],
  weaponText: [],
  physicalTargetText: ['concert hall'],
  killed: { value: 139, min: 139, max: 139, qualifier: 'exact' },
  wounded: null,
  kidnapped: null,
  perpetratorsKilled: null,
  suicide: false,
  outcome: 'carried_out',
  sources: [DOC],
  evidence: [
    evidence('date', '2024-03-22', 'March 22nd', true),
    evidence('attack_types', 'armed_assault', 'gunmen', true),
    evidence('target_text', 'concert hall', 'hall'),
    evidence('killed', '139', '139 lives'),
  ],
};

describe('renderTable', () => {
  it('pads columns, right-aligns where asked, and trims line ends', () => {
    const table = renderTable(
      [{ header: 'name' }, { header: 'n', align: 'right' }, { header: 'note' }],
      [
        ['a', '1', ''],
        ['bbb', '22', 'x'],
      ],
    );
    expect(table.split('\n')).toEqual(['name   n  note', '────  ──  ────', 'a      1', 'bbb   22  x']);
  });
});

describe('values', () => {
  it.each([
    [null, '—'],
    [{ value: 139, min: 139, max: 139, qualifier: 'exact' }, '139'],
    [{ value: 4, min: 4, max: null, qualifier: 'at_least' }, 'at least 4'],
    [{ value: 101, min: 101, max: null, qualifier: 'more_than' }, 'more than 100'],
    [{ value: 30, min: 25, max: 35, qualifier: 'approximately' }, 'about 30'],
    [{ value: 5, min: 0, max: 5, qualifier: 'at_most' }, 'at most 5'],
    [{ value: null, min: 24, max: 99, qualifier: 'range' }, '24–99'],
    [{ value: null, min: 12, max: null, qualifier: 'at_least' }, '12–?'],
  ] as const)('formatCount(%j) is %s', (count, shown) => {
    expect(formatCount(count)).toBe(shown);
  });

  it('formats dates to their precision, and places', () => {
    expect(formatDate({ date: '2024-03-22', precision: 'day' })).toBe('2024-03-22');
    expect(formatDate({ date: '2014-04-01', precision: 'month' })).toBe('2014-04');
    expect(formatDate({ date: '2014-01-01', precision: 'year' })).toBe('2014');
    expect(formatDate(null)).toBe('—');
    expect(formatPlace({ city: 'Moscow', country: 'RU' })).toBe('Moscow, RU');
    expect(formatPlace({ city: null, country: 'NG' })).toBe('NG');
    expect(formatPlace({ city: null, country: null })).toBe('—');
  });
});

describe('incidentsTable', () => {
  it('says so when there are none', () => {
    expect(incidentsTable([])).toBe('No incidents.');
  });

  it('shows the short id, date, place, attack, group with attribution, killed and wounded', () => {
    const lines = incidentsTable([
      INCIDENT,
      { ...INCIDENT, id: 'abcdef0123456789', date: null, perpetratorGroups: [] },
    ]).split('\n');
    expect(lines[0]).toMatch(/^id +date +place +attack type +group \(attribution\) +killed +wounded$/);
    expect(lines[2]).toMatch(
      /^071255d2 {2}2024-03-22 {2}Moscow, RU {2}armed_assault {2}Islamic State Khorasan Province \(identified\) +139 +—$/,
    );
    expect(lines[3]).toMatch(/^abcdef01 {2}— {11}Moscow, RU {2}armed_assault {2}— +139 +—$/);
  });
});

describe('evidence', () => {
  it('marks the matched text in its sentence, at the given offset when it is right', () => {
    const sentence = 'A hall near the concert hall.';
    expect(markEvidence(sentence, 'hall', 24)).toBe('A hall near the concert «hall».');
    expect(markEvidence(sentence, 'hall')).toBe('A «hall» near the concert hall.');
    expect(markEvidence(sentence, 'hall', 3)).toBe('A «hall» near the concert hall.');
    expect(markEvidence(sentence, 'stadium')).toBe('A hall near the concert hall. («stadium»)');
  });

  it('finds where the evidence starts in its sentence from the document text', () => {
    const hall = evidence('target_text', 'concert hall', 'hall');
    expect(offsetInSentence(TEXT, hall)).toBe(SENTENCE.indexOf('concert hall') + 'concert '.length);
    expect(offsetInSentence(TEXT, { ...hall, sentence: 'Not in the text.' })).toBeNull();
    const twice = `${SENTENCE} ${SENTENCE}`;
    const second = SENTENCE.length + 1 + SENTENCE.indexOf('Moscow');
    expect(offsetInSentence(twice, { start: second, end: second + 6, sentence: SENTENCE })).toBe(
      SENTENCE.indexOf('Moscow'),
    );
  });

  it('shows every field, and under it each evidence with its span, document and inferred flag', () => {
    const detail = incidentDetail(INCIDENT, new Map([[DOC, TEXT]]));
    const lines = detail.split('\n');
    expect(lines[0]).toBe('incident 071255d2e134b9be');
    for (const label of [
      'date',
      'country',
      'city',
      'lat, lon',
      'attack_types',
      'weapon_types',
      'target_types',
      'target_text',
      'perpetrator_groups',
      'perpetrators',
      'perpetrator_nationalities',
      'killed',
      'wounded',
      'sources',
    ]) {
      expect(detail).toMatch(new RegExp(`^${label} +\\S`, 'm'));
    }
    const killed = lines.indexOf('killed                     139');
    expect(lines.slice(killed + 1, killed + 3)).toEqual([
      `  evidence: 139 · document dddddddd [${at('139 lives')}–${at('139 lives') + 9})`,
      '    On March 22nd, gunmen attacked a concert hall in Moscow, claiming «139 lives».',
    ]);
    expect(detail).toContain('  evidence: 2024-03-22 (inferred) · document dddddddd');
    expect(detail).toContain('a concert «hall» in Moscow');
    expect(detail).toMatch(
      /^perpetrator_groups +Islamic State Khorasan Province \[iskp\] identified; seen as ISKP$/m,
    );
    expect(detail).toMatch(/^perpetrators +at least 4$/m);
    expect(detail).toMatch(/^lat, lon +55\.75222, 37\.61556 \(city\)$/m);
  });
});

describe('ingest lines', () => {
  const outcomes: IngestOutcome[] = [
    {
      status: 'stored',
      origin: 'a.txt',
      documentId: DOC,
      incidents: [INCIDENT],
      incidentIds: [INCIDENT.id],
      copyOf: null,
    },
    { status: 'stored', origin: 'b.jsonl:2', documentId: DOC, incidents: [], incidentIds: [], copyOf: null },
    {
      status: 'stored',
      origin: 'e.txt',
      documentId: DOC,
      incidents: [INCIDENT],
      incidentIds: ['0123456789abcdef'],
      copyOf: 'feedc0de'.repeat(8),
    },
    { status: 'duplicate', origin: 'c.txt', documentId: DOC },
    { status: 'error', origin: 'd.txt', reason: 'empty file' },
  ];

  it('says what happened to each document, then sums up', () => {
    expect(outcomes.map(outcomeLine)).toEqual([
      'stored a.txt (1 incident)',
      'stored b.jsonl:2 (0 incidents)',
      'stored e.txt (1 incident, 1 merged with earlier reports, copy of feedc0de)',
      'already known c.txt',
      'error d.txt: empty file',
    ]);
    const tally = emptyTally();
    for (const outcome of outcomes) countOutcome(tally, outcome);
    expect(summaryLine(tally)).toBe('3 stored, 1 already known, 1 refused');
  });

  it('writes one JSON object per outcome, incidents in their public shape', () => {
    const [stored, , , duplicate, error] = outcomes.map((o) => JSON.parse(outcomeJson(o)));
    expect(stored).toMatchObject({
      status: 'stored',
      origin: 'a.txt',
      document_id: DOC,
      incidents: [{ id: INCIDENT.id, city: 'Moscow' }],
    });
    expect(duplicate).toEqual({ status: 'duplicate', origin: 'c.txt', document_id: DOC });
    expect(error).toEqual({ status: 'error', origin: 'd.txt', reason: 'empty file' });
  });
});

it('statsText lists the database and the counts', () => {
  expect(
    statsText({
      database: { kind: 'postgres', location: 'postgres://u:***@h/db' },
      documents: 1,
      incidents: 2,
      groups: 90,
      evidence: 13,
      knowledge_base: null,
    }),
  ).toBe(
    [
      'database   postgres postgres://u:***@h/db',
      'documents  1',
      'incidents  2',
      'groups     90',
      'evidence   13',
    ].join('\n'),
  );
});

it('statsText names the knowledge base the groups were synced from', () => {
  const text = statsText({
    database: { kind: 'sqlite', location: 'vigil.db' },
    documents: 0,
    incidents: 0,
    groups: 361,
    evidence: 0,
    knowledge_base: {
      version: 'ab12cd34ef56ab12cd34ef56',
      groups: 361,
      files: [{ path: '/srv/kb/extra.yaml', sha256: '00' }],
      loaded_at: '2024-05-01T10:00:00.000Z',
    },
  });
  expect(text.split('\n').at(-1)).toBe(
    'knowledge base  ab12cd34ef56 (361 groups; with /srv/kb/extra.yaml), synced 2024-05-01T10:00:00.000Z',
  );
});
