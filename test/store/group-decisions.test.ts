import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Store } from '../../src/store/index.js';
import { type TestDialect, testDialects } from './databases.js';
import { makeDocument } from './fixtures.js';

const known = loadGroups();
const byId = new Map(known.map((g) => [g.id, g]));

const CLAIM =
  'A bomb exploded at a bank in Kabul on Monday, killing four guards. A group calling itself Wilayat Hind Brigade claimed responsibility.';
const SECOND =
  'Gunmen attacked a police post in Herat on Friday, killing two officers. A group calling itself Wilayat Hind Brigade claimed the attack.';
const DISCOVERED = 'discovered:wilayat-hind-brigade';

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

describe.each(dialects)('merging and promoting discovered groups on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  async function fresh(): Promise<Store> {
    const store = await dialect.open(dialect.fresh());
    await store.syncGroups(known);
    open.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function ingestText(store: Store, text: string, published = '2024-05-13') {
    const doc = makeDocument({ text, published, title: null, url: null, origin: 'test' });
    await store.saveDocument(doc, incidentsOf({ ...doc, id: doc.id }, byId));
  }

  const groupsOf = async (store: Store) =>
    (await store.listIncidents()).flatMap((i) =>
      i.perpetratorGroups.map((g) => [g.groupId, g.group, g.discovered]),
    );

  it('lists a group found in the news as discovered, with its names and incidents', async () => {
    const store = await fresh();
    await ingestText(store, CLAIM);
    expect(await groupsOf(store)).toEqual([[DISCOVERED, 'Wilayat Hind Brigade', true]]);
    expect(await store.listDiscoveredGroups()).toEqual([
      { id: DISCOVERED, names: ['Wilayat Hind Brigade'], incidents: 1, decision: null },
    ]);
  });

  it('counts a merged group as the known one, for documents ingested later too, until unmerged', async () => {
    const store = await fresh();
    await ingestText(store, CLAIM);
    const decision = await store.decideGroup({
      kind: 'merge',
      groupId: DISCOVERED,
      into: 'iskp',
      by: 'analyst-a',
      reason: 'ISKP uses this name for its Indian branch',
    });
    expect(decision).toMatchObject({ kind: 'merge', intoGroupId: 'iskp', by: 'analyst-a', undoneAt: null });
    await ingestText(store, SECOND, '2024-05-18');

    expect(await groupsOf(store)).toEqual([
      ['iskp', 'Islamic State Khorasan Province', false],
      ['iskp', 'Islamic State Khorasan Province', false],
    ]);
    expect(await store.listIncidents({ group: 'iskp' })).toHaveLength(2);
    // The merged incident keeps the name the source used.
    const [latest] = await store.listIncidents({ group: 'iskp' });
    expect(latest?.perpetratorGroups[0]?.aliasesSeen).toEqual(['Wilayat Hind Brigade']);

    await store.undoGroupDecision(DISCOVERED, 'analyst-b');
    expect(await groupsOf(store)).toEqual([
      [DISCOVERED, 'Wilayat Hind Brigade', true],
      [DISCOVERED, 'Wilayat Hind Brigade', true],
    ]);
    expect(await store.listIncidents({ group: 'iskp' })).toEqual([]);
    const history = await store.groupDecisionHistory(DISCOVERED);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ by: 'analyst-a', undoneBy: 'analyst-b' });
    expect(history[0]?.undoneAt).not.toBeNull();
  });

  it('promotes a discovered group to a group of its own, which can be undone', async () => {
    const store = await fresh();
    await ingestText(store, CLAIM);
    await store.decideGroup({
      kind: 'promote',
      groupId: DISCOVERED,
      name: 'Wilayat Hind Brigade',
      by: 'analyst-a',
      reason: 'a new cell, claims three attacks',
    });
    const promoted = (await store.listGroups()).find((g) => g.id === 'wilayat-hind-brigade');
    expect(promoted).toMatchObject({
      name: 'Wilayat Hind Brigade',
      home_countries: ['AF'],
      active_from: 2024,
    });
    expect(await groupsOf(store)).toEqual([['wilayat-hind-brigade', 'Wilayat Hind Brigade', false]]);

    await store.undoGroupDecision(DISCOVERED, 'analyst-a');
    expect((await store.listGroups()).some((g) => g.id === 'wilayat-hind-brigade')).toBe(false);
    expect(await groupsOf(store)).toEqual([[DISCOVERED, 'Wilayat Hind Brigade', true]]);
  });

  it('refuses decisions that make no sense, with a reason, and records nothing', async () => {
    const store = await fresh();
    await ingestText(store, CLAIM);
    const merge = (groupId: string, into: string, reason = 'why') =>
      store.decideGroup({ kind: 'merge', groupId, into, by: 'a', reason });
    await expect(merge('iskp', 'islamic-state')).rejects.toThrow(/iskp is not a discovered group/);
    await expect(merge('discovered:nobody', 'iskp')).rejects.toThrow(/not a discovered group/);
    await expect(merge(DISCOVERED, 'no-such-group')).rejects.toThrow(/unknown group no-such-group/);
    await expect(merge(DISCOVERED, 'iskp', ' ')).rejects.toThrow(/needs a reason/);
    await expect(store.undoGroupDecision(DISCOVERED, 'a')).rejects.toThrow(/no merge or promotion/);
    expect(await store.groupDecisionHistory(DISCOVERED)).toEqual([]);

    await merge(DISCOVERED, 'iskp');
    await expect(merge(DISCOVERED, 'islamic-state')).rejects.toThrow(/already merged into iskp by a/);
  });
});
