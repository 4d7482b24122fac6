import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/resolve/index.js';
import { openStore } from '../../src/store/index.js';
import {
  FOUNDING,
  postgresDatabases,
  type StatsJson,
  sqliteDatabases,
  stats,
  type TestDatabases,
  vigil,
  vigilJson,
} from './helpers.js';

// The founding article (../shared/examples/moscow-concert-hall.expected.json) through the built CLI,
// on both databases. These assertions are the product's specification; they fail when extraction
// regresses, not only when the CLI does.

const REQUIRED_EVIDENCE = [
  'date',
  'city',
  'attack_types',
  'perpetrator_groups',
  'perpetrators_min',
  'perpetrator_nationalities',
  'killed',
];

describe.concurrent.each([
  ['SQLite', sqliteDatabases],
  ['PostgreSQL', postgresDatabases],
])('the founding article on %s', (_name, makeDatabases: () => TestDatabases) => {
  const databases = makeDatabases();
  let db: string;
  let first: Awaited<ReturnType<typeof vigil>>;
  let incidents: IncidentJson[];
  let before: StatsJson;

  beforeAll(async () => {
    db = await databases.fresh();
    first = await vigil(['--db', db, 'ingest', FOUNDING, '--published', '2024-03-25']);
    incidents = await vigilJson<IncidentJson[]>(['--db', db, 'incidents']);
    before = await stats(db);
  });

  afterAll(() => databases.cleanup());

  it('stores the article and says so', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`stored ${FOUNDING} (1 incident)\n1 stored, 0 already known, 0 refused\n`);
  });

  it('finds exactly one incident, the Moscow concert hall attack', () => {
    expect(incidents).toHaveLength(1);
    const incident = incidents[0] as IncidentJson;
    expect(incident).toMatchObject({
      date: '2024-03-22',
      city: 'Moscow',
      country: 'RU',
      attack_types: ['armed_assault'],
      target_types: ['private_citizens_property'],
      perpetrators_min: 4,
      perpetrator_nationalities: ['TJ'],
    });
    expect(incident.lat).toBeCloseTo(55.75, 1);
    expect(incident.lon).toBeCloseTo(37.62, 1);
    expect(incident.target_text.some((t) => t.includes('concert hall'))).toBe(true);
    expect(incident.perpetrator_groups).toEqual([
      expect.objectContaining({
        group: 'Islamic State Khorasan Province',
        attribution: 'identified',
        aliases_seen: expect.arrayContaining(['ISKP']),
      }),
    ]);
    expect(incident.killed?.value).toBe(139);
  });

  it('backs every required field with evidence that is the document text at its span', async () => {
    const incident = incidents[0] as IncidentJson;
    expect([...new Set(incident.evidence.map((e) => e.field))]).toEqual(
      expect.arrayContaining(REQUIRED_EVIDENCE),
    );
    const store = await openStore(db);
    try {
      for (const e of incident.evidence) {
        const doc = await store.getDocument(e.document_id);
        expect(doc, `document ${e.document_id} of ${e.field} evidence`).not.toBeNull();
        expect(doc?.text.slice(e.start, e.end), `${e.field} evidence span`).toBe(e.text);
        expect(e.sentence, `${e.field} evidence sentence`).toContain(e.text);
      }
    } finally {
      await store.close();
    }
  });

  it('places no incident in Syria, the United States or Afghanistan', async () => {
    for (const country of ['SY', 'US', 'AF']) {
      const run = await vigil(['--db', db, 'incidents', '--country', country]);
      expect(run).toMatchObject({ code: 0, stdout: 'No incidents.\n' });
    }
  });

  it('says "already known" when the article is ingested again, and changes nothing', async () => {
    const again = await vigil(['--db', db, 'ingest', FOUNDING, '--published', '2024-03-25']);
    expect(again).toEqual({
      code: 0,
      stdout: `already known ${FOUNDING}\n0 stored, 1 already known, 0 refused\n`,
      stderr: '',
    });
    expect(await stats(db)).toEqual(before);
  });

  it('shows the incident by id prefix, with the evidence sentence and the match marked', async () => {
    const incident = incidents[0] as IncidentJson;
    const run = await vigil(['--db', db, 'incident', incident.id.slice(0, 6)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`incident ${incident.id}`);
    const killed = incident.evidence.find((e) => e.field === 'killed');
    expect(killed).toBeDefined();
    if (killed === undefined) return;
    const marked = killed.sentence.replace(killed.text, `«${killed.text}»`);
    expect(run.stdout).toContain(marked);
    expect(run.stdout).toContain(
      `document ${killed.document_id.slice(0, 8)} [${killed.start}–${killed.end})`,
    );
    expect(run.stdout).toMatch(/killed +139\n/);
    expect(run.stdout).toContain('(inferred)');
  });

  it('prints the incident as JSON with --json', async () => {
    const incident = incidents[0] as IncidentJson;
    const shown = await vigilJson<IncidentJson & { reports: { document: string; score: number | null }[] }>([
      '--db',
      db,
      'incident',
      incident.id,
    ]);
    const { reports, ...fields } = shown;
    expect(fields).toEqual(incident);
    expect(reports).toEqual([expect.objectContaining({ document: incident.sources[0], score: null })]);
  });

  it('counts what is stored and names the database', async () => {
    const kind = databases.kind;
    expect(before).toMatchObject({ database: { kind }, documents: 1, incidents: 1 });
    expect(before.groups).toBeGreaterThan(0);
    expect(before.evidence).toBe(incidents[0]?.evidence.length);
    const text = await vigil(['--db', db, 'stats']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^database +${kind} `, 'm'));
    expect(text.stdout).toMatch(/^documents +1$/m);
  });
});
