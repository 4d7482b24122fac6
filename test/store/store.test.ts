import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, StoreError } from '../../src/store/index.js';
import { type TestDialect, testDialects } from './databases.js';
import { makeBareIncident, makeDocument, makeGroup, makeIncident, sha256 } from './fixtures.js';

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

describe.each(dialects)('store on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  async function fresh(): Promise<Store> {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('saves a document with its incidents and loads them back unchanged', async () => {
    const store = await fresh();
    const doc = makeDocument();
    const incident = makeIncident(doc);
    const bare = makeBareIncident(doc);

    const result = await store.saveDocument(doc, [incident, bare]);

    expect(result).toEqual({ status: 'stored', documentId: doc.id, incidentIds: [incident.id, bare.id] });
    expect(await store.getDocument(doc.id)).toStrictEqual(doc);
    expect(await store.getIncident(incident.id)).toStrictEqual(incident);
    expect(await store.getIncident(bare.id)).toStrictEqual(bare);
    expect(await store.listIncidents()).toStrictEqual([incident, bare]);
  });

  it('returns duplicate for a document already stored and changes nothing', async () => {
    const store = await fresh();
    const doc = makeDocument();
    const incident = makeIncident(doc);
    await store.saveDocument(doc, [incident]);
    const before = await store.stats();

    const again = await store.saveDocument(doc, [incident, makeBareIncident(doc)]);

    expect(again).toEqual({ status: 'duplicate', documentId: doc.id, incidentIds: [incident.id] });
    expect(await store.stats()).toEqual(before);
    expect(await store.listIncidents()).toStrictEqual([incident]);
  });

  it('stores nothing when any part of a save fails', async () => {
    const store = await fresh();
    const doc = makeDocument();
    const good = makeIncident(doc);
    const [first, ...rest] = good.evidence;
    if (first === undefined) throw new Error('fixture has evidence');
    // Evidence citing a document that is not stored violates a foreign key after the document row went in.
    const bad = makeBareIncident(doc);
    const broken = { ...bad, evidence: [...rest, { ...first, documentId: sha256('not stored') }] };

    await expect(store.saveDocument(doc, [good, broken])).rejects.toThrow();

    expect(await store.getDocument(doc.id)).toBeNull();
    expect(await store.stats()).toMatchObject({ documents: 0, incidents: 0, evidence: 0 });
    expect(await store.listIncidents()).toEqual([]);
    // Nothing was left behind to make the retry a "duplicate".
    expect((await store.saveDocument(doc, [good])).status).toBe('stored');
  });

  it('merges a later report of the same incident into it, keeping every source and its evidence', async () => {
    const store = await fresh();
    const first = makeDocument();
    const incident = makeIncident(first);
    await store.saveDocument(first, [incident]);
    const later = makeDocument({ text: 'A different story about the same attack.', outlet: 'BBC' });
    const second = {
      ...incident,
      id: sha256('second report').slice(0, 16),
      sources: [later.id],
      evidence: [],
    };

    const result = await store.saveDocument(later, [second]);

    expect(result).toMatchObject({ status: 'stored', incidentIds: [incident.id] });
    expect(await store.getIncident(incident.id)).toStrictEqual({
      ...incident,
      sources: [first.id, later.id],
    });
    expect(await store.stats()).toMatchObject({ documents: 2, incidents: 1 });
    const reports = await store.incidentReports(incident.id);
    expect(reports.map((r) => [r.documentId, r.score === null])).toEqual([
      [first.id, true],
      [later.id, false],
    ]);
    expect(reports[1]?.reasons).toContain('same day (2024-03-22)');
  });

  it('lists incidents newest first with filters and a limit', async () => {
    const store = await fresh();
    const dated = (n: number, date: string | null, country: string, groupId: string | null) => {
      const doc = makeDocument({ text: `Report ${n}.` });
      const base = makeBareIncident(doc, `${String(n).repeat(8)}`);
      return {
        doc,
        incident: {
          ...base,
          date: date === null ? null : { date, precision: 'day' as const },
          country,
          perpetratorGroups:
            groupId === null
              ? []
              : [
                  {
                    groupId,
                    group: groupId,
                    aliasesSeen: [],
                    attribution: 'claimed' as const,
                    discovered: false,
                  },
                ],
        },
      };
    };
    const crocus = dated(1, '2024-03-22', 'RU', 'iskp');
    const kerman = dated(2, '2024-01-03', 'IR', 'iskp');
    const kibbutz = dated(3, '2023-10-07', 'IL', 'hamas');
    const undated = dated(4, null, 'NG', 'boko-haram');
    const sameDay = dated(5, '2024-03-22', 'RU', null);
    for (const { doc, incident } of [undated, kibbutz, sameDay, crocus, kerman]) {
      await store.saveDocument(doc, [incident]);
    }
    const ids = async (query?: Parameters<Store['listIncidents']>[0]) =>
      (await store.listIncidents(query)).map((i) => i.id);

    expect(await ids()).toEqual([crocus, sameDay, kerman, kibbutz, undated].map((x) => x.incident.id));
    expect(await ids({ country: 'RU' })).toEqual([crocus.incident.id, sameDay.incident.id]);
    expect(await ids({ country: 'ir' })).toEqual([kerman.incident.id]);
    expect(await ids({ group: 'iskp' })).toEqual([crocus.incident.id, kerman.incident.id]);
    expect(await ids({ since: '2024-01-01' })).toEqual([crocus, sameDay, kerman].map((x) => x.incident.id));
    expect(await ids({ until: '2024-01-03' })).toEqual([kerman.incident.id, kibbutz.incident.id]);
    expect(await ids({ since: '2023-01-01', until: '2024-02-01', group: 'hamas' })).toEqual([
      kibbutz.incident.id,
    ]);
    expect(await ids({ limit: 2 })).toEqual([crocus.incident.id, sameDay.incident.id]);
    expect(await ids({ limit: 0 })).toEqual([]);
    expect(await ids({ country: 'FR' })).toEqual([]);
    await expect(store.listIncidents({ limit: -1 })).rejects.toThrow(StoreError);
    const [hydrated] = await store.listIncidents({ group: 'iskp', limit: 1 });
    expect(hydrated).toStrictEqual(crocus.incident);
  });

  it('finds an incident by a unique prefix and refuses an ambiguous one', async () => {
    const store = await fresh();
    const doc = makeDocument();
    const a = makeBareIncident(doc, `abcd1${'0'.repeat(59)}`);
    const b = makeBareIncident(doc, `abcd2${'0'.repeat(59)}`);
    const c = makeBareIncident(doc, `ef01${'0'.repeat(60)}`);
    await store.saveDocument(doc, [a, b, c]);

    expect((await store.getIncident('ef01'))?.id).toBe(c.id);
    expect((await store.getIncident('abcd2'))?.id).toBe(b.id);
    expect(await store.getIncident(a.id)).toStrictEqual(a);
    expect(await store.getIncident('abc')).toBeNull();
    expect(await store.getIncident('ABCD1')).toBeNull();
    expect(await store.getIncident('9999')).toBeNull();
    const error = await store.getIncident('abcd').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('ambiguous_id');
    expect((error as StoreError).message).toMatch(/ambiguous.*abcd1.*abcd2/);
  });

  it('syncs the knowledge base idempotently', async () => {
    const store = await fresh();
    const iskp = makeGroup({
      relations: [{ type: 'affiliate-of', group: 'islamic-state' }],
      parent: 'islamic-state',
    });
    const is = makeGroup({
      id: 'islamic-state',
      name: 'Islamic State',
      aliases: ['ISIS'],
      home_countries: ['IQ', 'SY'],
    });

    await store.syncGroups([iskp, is]);
    await store.syncGroups([iskp, is]);
    expect(await store.listGroups()).toStrictEqual([iskp, is]);
    expect((await store.stats()).groups).toBe(2);

    const renamed = { ...is, name: 'Islamic State (IS)', active_to: 2030 };
    await store.syncGroups([renamed]);
    expect(await store.listGroups()).toStrictEqual([iskp, renamed]);
    await store.syncGroups([]);
    expect((await store.stats()).groups).toBe(2);
  });

  it('counts what it holds, as numbers', async () => {
    const store = await fresh();
    expect(await store.stats()).toStrictEqual({
      database: { kind: dialect.kind, location: store.location },
      documents: 0,
      incidents: 0,
      groups: 0,
      evidence: 0,
      knowledge_base: null,
    });
    const doc = makeDocument();
    const incident = makeIncident(doc);
    await store.saveDocument(doc, [incident, makeBareIncident(doc)]);
    await store.syncGroups([makeGroup()]);

    expect(await store.stats()).toStrictEqual({
      database: { kind: dialect.kind, location: store.location },
      documents: 1,
      incidents: 2,
      groups: 1,
      evidence: incident.evidence.length,
      knowledge_base: null,
    });
  });

  it('keeps one copy when the same document is saved concurrently through one store', async () => {
    const store = await fresh();
    const doc = makeDocument();
    const incident = makeIncident(doc);

    const results = await Promise.all([1, 2, 3].map(() => store.saveDocument(doc, [incident])));

    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'stored']);
    expect(await store.stats()).toMatchObject({
      documents: 1,
      incidents: 1,
      evidence: incident.evidence.length,
    });
  });

  it('reopens an existing database without losing data', async () => {
    const database = dialect.fresh();
    const doc = makeDocument();
    const incident = makeIncident(doc);
    const first = await dialect.open(database);
    await first.saveDocument(doc, [incident]);
    await first.close();
    await first.close();

    const again = await dialect.open(database);
    open.push(again);
    expect(again.kind).toBe(dialect.kind);
    expect(await again.getIncident(incident.id)).toStrictEqual(incident);
  });
});

describe('store on postgres: several writers', () => {
  const [, postgres] = dialects;
  if (postgres === undefined) throw new Error('postgres dialect');

  it('keeps one copy when two stores save the same document at once', async () => {
    const database = postgres.fresh();
    const a = await postgres.open(database);
    const b = await postgres.open(database);
    try {
      for (let round = 0; round < 5; round += 1) {
        const doc = makeDocument({ text: `Round ${round}: gunmen attacked a checkpoint in Kabul.` });
        // A different month each round: five incidents, not five reports of one.
        const incident = {
          ...makeIncident(doc),
          date: { date: `2024-0${round + 1}-10`, precision: 'day' as const },
        };
        const results = await Promise.all([a.saveDocument(doc, [incident]), b.saveDocument(doc, [incident])]);
        expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'stored']);
      }
      expect(await a.stats()).toMatchObject({ documents: 5, incidents: 5 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('opening a store', () => {
  it('reports an unreachable PostgreSQL server with the password redacted', async () => {
    const error = await openStore('postgres://postgres:secret@127.0.0.1:1/test').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    const storeError = error as StoreError;
    expect(storeError.code).toBe('open_failed');
    expect(storeError.location).toBe('postgres://postgres:***@127.0.0.1:1/test');
    expect(storeError.message).toBe(
      'cannot open database postgres://postgres:***@127.0.0.1:1/test: connection refused',
    );
    expect(storeError.cause).toBeDefined();
  });

  it('reports a SQLite path that cannot be created', async () => {
    const error = await openStore('/dev/null/vigil.db').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/^cannot open database \/dev\/null\/vigil\.db: /);
  });

  it('rejects a schema name it would have to quote', async () => {
    await expect(openStore('postgres://postgres@127.0.0.1:5432/test', { schema: 'a; drop' })).rejects.toThrow(
      /invalid schema name/,
    );
  });
});
