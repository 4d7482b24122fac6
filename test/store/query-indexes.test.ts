import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/resolve/index.js';
import type { Clearance, IncidentFilter, IncidentSort, Store } from '../../src/store/index.js';
import { type TestDialect, testDialects } from './databases.js';
import { makeBareIncident, makeDocument, makeGroup } from './fixtures.js';
import { walkIncidents } from './pages.js';

// Migration 0017_query_indexes: a group's incidents are read through incident_group_dates in the
// default order, and pages after a cursor as two index ranges. Whatever the path, the pages must be
// the list the filters describe, in the default order (newest first, undated last, ties by id),
// each incident once.

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

const DISCOVERED = 'discovered:wilayat-hind-brigade';
const caller: Clearance = { org: 'nobody', userId: null, amberOrgs: ['nobody'] };
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const defaultOrder = (a: Incident, b: Incident) => {
  const [x, y] = [a.date?.date ?? null, b.date?.date ?? null];
  if (x !== y) return x === null ? 1 : y === null ? -1 : compare(y, x);
  return compare(a.id, b.id);
};

describe.each(dialects)('incident lists over the query indexes on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function seeded(): Promise<{ store: Store; incidents: Incident[] }> {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    const dates = [
      '2024-03-22',
      '2024-03-22',
      null,
      '2023-10-07',
      '2024-01-03',
      null,
      '2024-03-22',
      '2001-09-11',
    ];
    const incidents: Incident[] = [];
    for (let n = 0; n < 24; n++) {
      const doc = makeDocument({ text: `Report number ${n} of an attack.` });
      const groups = [['iskp'], ['hamas'], ['iskp', 'islamic-state'], [], [DISCOVERED], ['iskp', DISCOVERED]][
        n % 6
      ] as string[];
      const incident: Incident = {
        ...makeBareIncident(doc, `${(n * 7919).toString(16).padStart(6, '0')}${'ab'.repeat(13)}`),
        date:
          dates[n % dates.length] === null
            ? null
            : { date: dates[n % dates.length] as string, precision: 'day' },
        country: n % 3 === 0 ? 'AF' : 'RU',
        killed: n % 5 === 0 ? null : { value: n % 7, min: n % 7, max: n % 7, qualifier: 'exact' },
        perpetratorGroups: groups.map((groupId) => ({
          groupId,
          group: groupId,
          aliasesSeen: [],
          attribution: 'claimed' as const,
          discovered: groupId.startsWith('discovered:'),
        })),
      };
      await store.saveImported([doc], [incident]);
      incidents.push(incident);
    }
    return { store, incidents };
  }

  /** Every page of `size` incidents, following the cursor. */
  const walk = (store: Store, filter: IncidentFilter, size: number, sort?: IncidentSort) =>
    walkIncidents(store, caller, filter, size, sort);

  it('pages a group, with and without other filters, in the default order', async () => {
    const { store, incidents } = await seeded();
    const expected = (keep: (i: Incident) => boolean) =>
      incidents
        .filter(keep)
        .sort(defaultOrder)
        .map((i) => i.id);
    const inGroup = (g: string) => (i: Incident) => i.perpetratorGroups.some((p) => p.groupId === g);
    for (const size of [1, 2, 5, 50]) {
      expect(await walk(store, { group: 'iskp' }, size)).toEqual(expected(inGroup('iskp')));
      expect(await walk(store, { group: 'islamic-state' }, size)).toEqual(expected(inGroup('islamic-state')));
      expect(await walk(store, { group: 'iskp', country: 'AF' }, size)).toEqual(
        expected((i) => inGroup('iskp')(i) && i.country === 'AF'),
      );
      expect(await walk(store, { group: 'iskp', since: '2002-01-01', until: '2024-01-03' }, size)).toEqual(
        expected(
          (i) =>
            inGroup('iskp')(i) &&
            i.date !== null &&
            i.date.date >= '2002-01-01' &&
            i.date.date <= '2024-01-03',
        ),
      );
      expect(await walk(store, {}, size)).toEqual(expected(() => true));
      expect(await walk(store, { country: 'RU' }, size)).toEqual(expected((i) => i.country === 'RU'));
    }
  });

  it('pages a group with a discovered group merged into it: one range each, merged, each incident once', async () => {
    const { store, incidents } = await seeded();
    await store.syncGroups([makeGroup()]);
    await store.decideGroup({
      kind: 'merge',
      groupId: DISCOVERED,
      into: 'iskp',
      by: 'a',
      reason: 'same group',
    });
    const expected = incidents
      .filter((i) => i.perpetratorGroups.some((p) => p.groupId === 'iskp' || p.groupId === DISCOVERED))
      .sort(defaultOrder)
      .map((i) => i.id);
    expect(new Set(expected).size).toBe(expected.length);
    for (const size of [1, 2, 3, 7, 50]) {
      expect(await walk(store, { group: 'iskp' }, size)).toEqual(expected);
      expect(await walk(store, { group: 'iskp', country: 'RU' }, size)).toEqual(
        incidents
          .filter(
            (i) =>
              i.country === 'RU' &&
              i.perpetratorGroups.some((p) => p.groupId === 'iskp' || p.groupId === DISCOVERED),
          )
          .sort(defaultOrder)
          .map((i) => i.id),
      );
    }
  });

  it('pages one country sorted by killed over its composite index', async () => {
    const { store, incidents } = await seeded();
    const killed = (i: Incident) => (i.killed === null ? -1 : (i.killed.value ?? i.killed.min));
    const af = incidents.filter((i) => i.country === 'AF');
    const desc = [...af].sort((a, b) => killed(b) - killed(a) || compare(b.id, a.id));
    const known = af
      .filter((i) => killed(i) >= 0)
      .sort((a, b) => killed(a) - killed(b) || compare(a.id, b.id));
    const unknown = af.filter((i) => killed(i) < 0).sort((a, b) => compare(a.id, b.id));
    for (const size of [1, 3, 50]) {
      expect(await walk(store, { country: 'AF' }, size, { by: 'killed', order: 'desc' })).toEqual(
        desc.map((i) => i.id),
      );
      expect(await walk(store, { country: 'AF' }, size, { by: 'killed', order: 'asc' })).toEqual(
        [...known, ...unknown].map((i) => i.id),
      );
    }
  });
});
