import { afterAll, describe, expect, it } from 'vitest';
import { storedThreat, updateAnalysis } from '../../src/analyze/incremental.js';
import { type Alert, computeThreat, replayAlerts } from '../../src/analyze/index.js';
import { knowledgeBase } from '../../src/knowledge/groups.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { testDialects } from '../store/databases.js';
import { FOUNDING, history, knowledge } from './helpers.js';

// The history loaded into a real store, the founding article ingested on top: alerts and levels
// updated as the data arrives and remembered by the store, on SQLite and PostgreSQL.
const k = knowledge();
const past = history(k);

for (const dialect of testDialects()) {
  describe(`analysis over a ${dialect.kind} store`, { timeout: 120_000 }, () => {
    afterAll(() => dialect.cleanup());

    it('raises the ISKP expansion alerts for Russia and keeps when they were raised', async () => {
      const store = await dialect.open(dialect.fresh());
      try {
        await store.syncKnowledgeBase(knowledgeBase());
        const loaded = await store.saveImported(past.documents, past.incidents);
        expect(loaded.stored).toHaveLength(past.incidents.length);
        // Imported, not ingested: analysed by the next update (here the first: everything).
        const first = await updateAnalysis(store.analysis, k);
        expect(first.rebuilt).toBe(true);
        expect(first.raised).toHaveLength(replayAlerts(await store.listIncidents(), k).length);
        expect((await store.analysis.listAlerts()).some((s) => s.alert.country === 'RU')).toBe(false);

        // Ingesting the founding article raises its alerts at once.
        const outcomes = [];
        for await (const o of ingest(store, [FOUNDING], { published: '2024-03-25' })) outcomes.push(o);
        expect(outcomes.map((o) => o.status)).toEqual(['stored']);
        const incidents = await store.listIncidents();
        const moscow = incidents.find((i) => i.country === 'RU');
        expect(moscow?.perpetratorNationalities).toEqual(['TJ']);
        const fresh = (await store.analysis.listAlerts<Alert>()).filter(
          (s) => s.alert.incident === moscow?.id,
        );
        expect(fresh.map((s) => s.alert.kind).sort()).toEqual([
          'lethality_rise',
          'mass_casualty',
          'new_country',
          'new_region',
          'new_subregion',
        ]);
        expect(await store.analysis.listAlerts({ withdrawn: true })).toHaveLength(
          (await store.analysis.listAlerts()).length,
        );
        const listed = await store.analysis.listAlerts<Alert>({ group: 'iskp', country: 'RU' });
        expect(listed.map((s) => s.alert.title)).toEqual(
          expect.arrayContaining([
            'First attack by Islamic State Khorasan Province in Russia',
            'First attack by Islamic State Khorasan Province in Eastern Europe',
          ]),
        );
        expect(listed.every((s) => s.alert.evidence.length > 0 && s.withdrawnAt === null)).toBe(true);
        // Unchanged data: nothing new, first raised times kept.
        expect(await updateAnalysis(store.analysis, k)).toMatchObject({
          incidents: 0,
          raised: [],
          withdrawn: [],
        });
        const again = await store.analysis.listAlerts<Alert>({ group: 'iskp', country: 'RU' });
        expect(again.map((s) => s.raisedAt)).toEqual(listed.map((s) => s.raisedAt));
        const sync = await store.analysis.syncAlerts(replayAlerts(incidents, k));
        expect(sync).toEqual({ raised: [], withdrawn: [] });

        const changes = await store.analysis.threatHistory({ kind: 'group', id: 'iskp' });
        const rise = changes.find((c) => c.incident === moscow?.id);
        expect(rise).toMatchObject({ from: 'substantial', to: 'severe', cause: 'incident' });
        expect(rise?.reason).toContain('lethality 209 → 348');
        expect(rise?.components).toHaveLength(5);
        const stored = await storedThreat(store.analysis, k, { kind: 'group', id: 'iskp' });
        const full = computeThreat(incidents, k);
        expect(stored.groups).toEqual(full.groups);
        expect(stored.changes).toEqual(
          full.changes.filter((c) => c.subject.id === 'iskp' && c.subject.kind === 'group'),
        );
      } finally {
        await store.close();
      }
    });
  });
}
