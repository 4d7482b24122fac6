import { afterAll, describe, expect, it } from 'vitest';
import { type Alert, computeThreat, replayAlerts } from '../../src/analyze/index.js';
import { knowledgeBase } from '../../src/knowledge/groups.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { testDialects } from '../store/databases.js';
import { FOUNDING, history, knowledge } from './helpers.js';

// The history loaded into a real store, the founding article ingested on top, alerts and levels
// computed from what the store gives back and remembered by it: on SQLite and PostgreSQL.
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
        const first = replayAlerts(await store.listIncidents(), k);
        expect(first.some((a) => a.country === 'RU')).toBe(false);
        const sync1 = await store.analysis.syncAlerts(first);
        expect(sync1.raised).toHaveLength(first.length);

        const outcomes = [];
        for await (const o of ingest(store, [FOUNDING], { published: '2024-03-25' })) outcomes.push(o);
        expect(outcomes.map((o) => o.status)).toEqual(['stored']);
        const incidents = await store.listIncidents();
        const moscow = incidents.find((i) => i.country === 'RU');
        expect(moscow?.perpetratorNationalities).toEqual(['TJ']);

        const alerts = replayAlerts(incidents, k);
        const sync2 = await store.analysis.syncAlerts(alerts);
        const fresh = alerts.filter((a) => sync2.raised.includes(a.id));
        expect(fresh.map((a) => a.kind).sort()).toEqual([
          'lethality_rise',
          'mass_casualty',
          'new_country',
          'new_region',
          'new_subregion',
        ]);
        expect(sync2.withdrawn).toEqual([]);
        const listed = await store.analysis.listAlerts<Alert>({ group: 'iskp', country: 'RU' });
        expect(listed.map((s) => s.alert.title)).toEqual(
          expect.arrayContaining([
            'First attack by Islamic State Khorasan Province in Russia',
            'First attack by Islamic State Khorasan Province in Eastern Europe',
          ]),
        );
        expect(listed.every((s) => s.alert.evidence.length > 0 && s.withdrawnAt === null)).toBe(true);
        // Unchanged data: nothing new, first raised times kept.
        const sync3 = await store.analysis.syncAlerts(replayAlerts(await store.listIncidents(), k));
        expect(sync3).toEqual({ raised: [], withdrawn: [] });
        const again = await store.analysis.listAlerts<Alert>({ group: 'iskp', country: 'RU' });
        expect(again.map((s) => s.raisedAt)).toEqual(listed.map((s) => s.raisedAt));

        const threat = computeThreat(incidents, k);
        await store.analysis.replaceThreatHistory(threat.changes);
        const changes = await store.analysis.threatHistory({ kind: 'group', id: 'iskp' });
        const rise = changes.find((c) => c.incident === moscow?.id);
        expect(rise).toMatchObject({ from: 'substantial', to: 'severe', cause: 'incident' });
        expect(rise?.reason).toContain('lethality 209 → 348');
        expect(rise?.components).toHaveLength(5);
      } finally {
        await store.close();
      }
    });
  });
}
