import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeThreat,
  makeKnowledge,
  replayAlerts,
  type ThreatAssessment,
} from '../../src/analyze/index.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { loadCountries } from '../../src/knowledge/places.js';
import { storeDocument } from '../../src/pipeline/ingest.js';
import { documentId, normaliseText } from '../../src/sources/index.js';
import { ARTICLES, PUBLISHED } from '../server/fixtures.js';
import { call, PRINCIPALS, type PrincipalName, type Running, seed, startServer } from '../server/helpers.js';
import { testDialects } from '../store/databases.js';

/* The overview counts incidents of one audience by aggregates in the database and adds the caller's
 * views of mixed ones one by one. Pinned here against the plain path: every incident the caller can
 * list, as the REST API shows it. A second, AMBER report of the CLEAR Mogadishu bombing (with a higher
 * toll) makes a mixed incident that organisations outside alpha's sharing see only in part, so the
 * test covers both of the overview's paths. */

const AMBER_UPDATE =
  'A car bomb exploded outside a crowded market in Mogadishu, Somalia on Tuesday, killing 19 people, hospital staff said. Al-Shabaab said it carried out the bombing.';

interface Listed {
  id: string;
  tlp: string;
  country: string | null;
  killed: { value: number | null; min: number | null } | null;
  wounded: { value: number | null; min: number | null } | null;
  perpetrator_groups?: { group_id: string; attribution: string }[];
}

interface Overview {
  counts: {
    incidents: number;
    killed: number;
    wounded: number;
    countries: number;
    groups: number;
    by_tlp: Record<string, number>;
  };
  latest_incidents: { id: string }[];
}

describe.each(testDialects())('overview counts on $kind', (dialect) => {
  let running: Running;
  let keys: Record<PrincipalName, string>;

  beforeAll(async () => {
    running = await startServer(dialect);
    keys = (await seed(running)).keys;
    const reply = await call(running.url, 'POST', '/api/v1/documents', keys.alphaAnalyst, {
      text: AMBER_UPDATE,
      title: 'Toll rises',
      published: '2024-05-12',
      tlp: 'amber',
    });
    expect(reply.status, reply.text).toBe(201);
  });
  afterAll(async () => {
    await running?.close().catch(() => {});
    await dialect.cleanup();
  });

  async function listed(key: string): Promise<Listed[]> {
    const all: Listed[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { incidents: Listed[]; next_cursor: string | null } } = await call(
        running.url,
        'GET',
        `/api/v1/incidents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        key,
      );
      all.push(...page.body.incidents);
      cursor = page.body.next_cursor;
    } while (cursor);
    return all;
  }

  const value = (c: Listed['killed']) => (c === null ? 0 : (c.value ?? c.min ?? 0));

  it.each(Object.keys(PRINCIPALS) as PrincipalName[])(
    'gives %s the same counts as its redacted incidents',
    async (who) => {
      const incidents = await listed(keys[who]);
      const overview = (await call<Overview>(running.url, 'GET', '/api/v1/overview', keys[who])).body;
      const byTlp: Record<string, number> = {};
      for (const i of incidents) byTlp[i.tlp] = (byTlp[i.tlp] ?? 0) + 1;
      expect(overview.counts).toMatchObject({
        incidents: incidents.length,
        killed: incidents.reduce((n, i) => n + value(i.killed), 0),
        wounded: incidents.reduce((n, i) => n + value(i.wounded), 0),
        countries: new Set(incidents.flatMap((i) => (i.country ? [i.country] : []))).size,
        by_tlp: byTlp,
      });
      expect(overview.latest_incidents.map((i) => i.id)).toEqual(incidents.slice(0, 8).map((i) => i.id));
    },
  );

  it('shows a caller outside the sharing the merged bombing without the AMBER toll', async () => {
    const bombing = async (who: PrincipalName) =>
      (await listed(keys[who])).filter((i) => i.country === 'SO').map((i) => value(i.killed));
    expect(await bombing('alphaAnalyst')).toEqual([19]);
    // Only the CLEAR report is theirs: the incident as that report alone makes it, with its own toll.
    expect(await bombing('gammaAnalyst')).toEqual([12]);
  });
});

/* A caller who sees every document reads the alerts and levels stored at ingest; they must be what
 * a full recomputation over the store gives. Once a document they may not see arrives, they get the
 * recomputation over what they see, and nothing of it. */
describe.each(testDialects())('stored analysis on the dashboard on $kind', (dialect) => {
  let running: Running;
  let key: string;
  let other: string;

  beforeAll(async () => {
    running = await startServer(dialect);
    const { store } = running;
    const groups = new Map(loadGroups().map((g) => [g.id, g]));
    for (const [name, article] of Object.entries(ARTICLES)) {
      const text = normaliseText(article.text);
      const doc = {
        id: documentId(text),
        text,
        title: name,
        url: null,
        outlet: 'Wire',
        published: PUBLISHED,
        language: 'eng',
        origin: `${name}.txt`,
      };
      await storeDocument(store, doc, groups);
    }
    for (const org of ['x', 'y']) await store.access.addOrg(org);
    key = (await store.access.createKey({ org: 'x', role: 'analyst' })).key;
    other = (await store.access.createKey({ org: 'y', role: 'analyst' })).key;
  });
  afterAll(async () => {
    await running?.close().catch(() => {});
    await dialect.cleanup();
  });

  async function computed() {
    const incidents = await running.store.listIncidents();
    const knowledge = makeKnowledge(loadGroups(), loadCountries());
    const threat = computeThreat(incidents, knowledge);
    const alerts = replayAlerts(incidents, knowledge).sort(
      (a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id),
    );
    const level = (a: ThreatAssessment) => [a.subject.kind, a.subject.id, a.level, a.score];
    return {
      groups: threat.groups.map(level),
      countries: threat.countries.map(level),
      alerts: alerts.map((a) => a.id),
    };
  }

  async function served(k: string) {
    type Level = { subject: { kind: string; id: string }; level: string; score: number };
    const threat = (
      await call<{ groups: Level[]; countries: Level[] }>(running.url, 'GET', '/api/v1/threat', k)
    ).body;
    const alerts = (
      await call<{ alerts: { id: string }[]; total: number }>(
        running.url,
        'GET',
        '/api/v1/alerts?limit=100',
        k,
      )
    ).body;
    const overview = (
      await call<{ latest_alerts: { id: string }[] }>(running.url, 'GET', '/api/v1/overview', k)
    ).body;
    const level = (a: Level) => [a.subject.kind, a.subject.id, a.level, a.score];
    return {
      groups: threat.groups.map(level),
      countries: threat.countries.map(level),
      alerts: alerts.alerts.map((a) => a.id),
      total: alerts.total,
      latest: overview.latest_alerts.map((a) => a.id),
    };
  }

  it('serves the stored alerts and levels, equal to a full recomputation', async () => {
    const want = await computed();
    expect(want.alerts.length).toBeGreaterThan(0);
    const got = await served(key);
    expect(got).toEqual({ ...want, total: want.alerts.length, latest: want.alerts.slice(0, 8) });
  });

  it('recomputes over what the caller sees once a document is hidden from them', async () => {
    const before = await served(key);
    const reply = await call(running.url, 'POST', '/api/v1/documents', other, {
      text: 'A suicide bomber killed 25 people at a wedding in Jalalabad, Afghanistan on Saturday, police said. Islamic State Khorasan Province claimed the attack.',
      title: 'Wedding bombing',
      published: PUBLISHED,
      tlp: 'amber',
    });
    expect(reply.status, reply.text).toBe(201);
    expect(await served(key)).toEqual(before);
    expect((await served(other)).alerts.length).toBeGreaterThan(before.alerts.length);
  });
});
