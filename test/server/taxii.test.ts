import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { detectLanguage, documentId, normaliseText } from '../../src/sources/index.js';
import { checkObject, exportBundle, stixId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { ARTICLES } from './fixtures.js';
import {
  type ArticleName,
  CLEARED,
  call,
  PRINCIPALS,
  type PrincipalName,
  type Reply,
  type Running,
  type Seeded,
  seed,
  startServer,
} from './helpers.js';
import { allPages, type Envelope, ROOT, type StixLike, TAXII, taxii } from './taxii-helpers.js';

// The TAXII 2.1 server on a real server over SQLite and PostgreSQL: every endpoint, filter and
// pagination edge, the errors, visibility per principal and marking (no response carries anything
// of what the caller is not cleared for), OASIS validity of every object, and POST with its status.

const ARTICLE_NAMES = Object.keys(ARTICLES) as ArticleName[];
const PRINCIPAL_NAMES = Object.keys(PRINCIPALS) as PrincipalName[];
const TLPS = ['clear', 'green', 'amber', 'amber-strict', 'red'] as const;

describe.each(testDialects())('TAXII 2.1 on $kind', (dialect) => {
  let running: Running;
  let seeded: Seeded;

  beforeAll(async () => {
    running = await startServer(dialect);
    seeded = await seed(running);
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  const sees = (p: PrincipalName, a: ArticleName) => CLEARED[a].includes(p);
  const stixIncident = (id: string) => stixId('incident', id);

  function forbidden(p: PrincipalName): string[] {
    return ARTICLE_NAMES.filter((a) => !sees(p, a)).flatMap((a) => [
      ...seeded.incidents[a],
      ...seeded.incidents[a].map(stixIncident),
      seeded.documents[a],
      stixId('report', seeded.documents[a]),
      ARTICLES[a].marker.toLowerCase(),
    ]);
  }
  function noLeak(p: PrincipalName, reply: Reply): void {
    const text = reply.text.toLowerCase();
    for (const secret of forbidden(p))
      expect(text.includes(secret.toLowerCase()), `${p} sees ${secret}: ${reply.text.slice(0, 200)}`).toBe(
        false,
      );
  }
  function expectValid(objects: readonly StixLike[]): void {
    for (const o of objects) expect(checkObject(o), `${o.id} is valid STIX 2.1`).toEqual([]);
  }
  const get = <T = unknown>(p: PrincipalName, path: string) =>
    taxii<T>(running.url, 'GET', path, { key: seeded.keys[p] });

  it('discovery, API root, collections and a collection by id or alias, with Bearer or Basic', async () => {
    for (const basic of [false, true]) {
      const d = await taxii<{ api_roots: string[]; default: string }>(running.url, 'GET', '/taxii2/', {
        key: seeded.keys.gammaAnalyst,
        basic,
      });
      expect(d.status).toBe(200);
      expect(d.headers.get('content-type')).toBe(TAXII);
      expect(d.body.api_roots).toEqual([`${running.url}${ROOT}/`]);
    }
    const root = await get<{ versions: string[]; max_content_length: number }>('alphaViewer', `${ROOT}/`);
    expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: 1024 * 1024 });
    const list = await get<{ collections: { id: string; alias: string; can_write: boolean }[] }>(
      'alphaViewer',
      `${ROOT}/collections/`,
    );
    const aliases = list.body.collections.map((c) => c.alias);
    expect(aliases).toEqual(
      expect.arrayContaining(['all', ...TLPS.map((t) => `tlp-${t}`), 'region-asia', 'group-taliban']),
    );
    expect(list.body.collections.find((c) => c.alias === 'all')?.can_write).toBe(false);
    const analyst = await get<{ collections: { alias: string; can_write: boolean }[] }>(
      'alphaAnalyst',
      `${ROOT}/collections/`,
    );
    expect(analyst.body.collections.find((c) => c.alias === 'all')?.can_write).toBe(true);
    expect(analyst.body.collections.find((c) => c.alias === 'region-asia')?.can_write).toBe(false);
    const all = list.body.collections.find((c) => c.alias === 'all');
    const byId = await get<{ alias: string }>('alphaViewer', `${ROOT}/collections/${all?.id}/`);
    expect(byId.body.alias).toBe('all');
    expect((await get('alphaViewer', `${ROOT}/collections/all/`)).status).toBe(200);
  });

  it('errors: 401 without or with a bad key, 406, 415, 403, 404, 400 as TAXII error messages', async () => {
    const none = await taxii(running.url, 'GET', `${ROOT}/collections/`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    expect(none.headers.get('content-type')).toBe(TAXII);
    expect(none.body).toMatchObject({ title: expect.any(String), http_status: '401' });
    expect((await taxii(running.url, 'GET', '/taxii2/', { key: 'vgl_nope', basic: true })).status).toBe(401);
    const key = seeded.keys.alphaAnalyst;
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'text/html']) {
      const r = await taxii(running.url, 'GET', `${ROOT}/collections/`, { key, accept });
      expect(r.status, accept).toBe(406);
      expect(r.headers.get('content-type')).toBe(TAXII);
    }
    for (const accept of ['application/taxii+json', '*/*', null])
      expect((await taxii(running.url, 'GET', `${ROOT}/`, { key, accept })).status).toBe(200);
    const objects = `${ROOT}/collections/all/objects/`;
    const envelope = { objects: [] };
    for (const contentType of ['application/json', 'text/plain', 'application/taxii+json;version=2.0']) {
      const r = await taxii(running.url, 'POST', objects, { key, body: envelope, contentType });
      expect(r.status, contentType).toBe(415);
    }
    expect(
      (await taxii(running.url, 'POST', objects, { key: seeded.keys.alphaViewer, body: envelope })).status,
    ).toBe(403);
    expect(
      (await taxii(running.url, 'POST', `${ROOT}/collections/region-asia/objects/`, { key, body: envelope }))
        .status,
    ).toBe(403);
    expect((await get('alphaViewer', `${ROOT}/collections/nope/`)).status).toBe(404);
    expect((await get('alphaViewer', `${ROOT}/collections/nope/objects/`)).status).toBe(404);
    expect((await get('alphaViewer', `${ROOT}/status/nope/`)).status).toBe(404);
    expect((await get('alphaViewer', `${ROOT}/nothing/`)).status).toBe(404);
    expect((await get('alphaViewer', `${objects}indicator--${crypto.randomUUID()}/`)).status).toBe(404);
    for (const q of [
      'limit=0',
      'limit=x',
      'next=bogus',
      'added_after=yesterday',
      'match[version]=soon',
      'color=red',
    ])
      expect((await get('alphaViewer', `${objects}?${q}`)).status, q).toBe(400);
  });

  it.each(PRINCIPAL_NAMES)(
    '%s: the all collection holds exactly the cleared incidents, once each, valid, no leaks, in date_added order',
    async (p) => {
      const { pages, objects } = await allPages(running.url, seeded.keys[p], 'all', '', 4);
      for (const page of pages) {
        noLeak(p, page);
        expectValid(page.body.objects);
      }
      const ids = objects.map((o) => o.id);
      expect(new Set(ids).size, 'no object twice').toBe(ids.length);
      const incidents = objects.filter((o) => o.type === 'incident').map((o) => o.id);
      const cleared = ARTICLE_NAMES.filter((a) => sees(p, a)).flatMap((a) =>
        seeded.incidents[a].map(stixIncident),
      );
      expect(incidents.sort()).toEqual([...new Set(cleared)].sort());
      // Every object another object refers to is there (or is one of the static ones).
      const present = new Set(ids);
      for (const o of objects) {
        for (const ref of [
          o.source_ref,
          o.target_ref,
          o.created_by_ref,
          ...((o.object_refs as string[]) ?? []),
        ])
          if (typeof ref === 'string') expect(present.has(ref), `${o.id} refers to ${ref}`).toBe(true);
      }
      const manifest = await get<{ objects: { id: string; date_added: string; version: string }[] }>(
        p,
        `${ROOT}/collections/all/manifest/?limit=1000`,
      );
      noLeak(p, manifest);
      expect(manifest.body.objects.map((m) => m.id)).toEqual(ids);
      const added = manifest.body.objects.map((m) => m.date_added);
      expect([...added].sort()).toEqual(added);
    },
  );

  it('pagination: limit 1, exact page boundaries, next after the last page, the date headers', async () => {
    const key = seeded.keys.alphaAnalyst;
    const whole = await get<Envelope>('alphaAnalyst', `${ROOT}/collections/all/objects/?limit=1000`);
    const n = whole.body.objects.length;
    expect(whole.body.more).toBe(false);
    expect(whole.body.next).toBeUndefined();
    const ones = await allPages(running.url, key, 'all', '', 1);
    expect(ones.pages.length).toBe(n);
    expect(ones.objects.map((o) => o.id)).toEqual(whole.body.objects.map((o) => o.id));
    const manifest = await get<{ objects: { id: string; date_added: string }[] }>(
      'alphaAnalyst',
      `${ROOT}/collections/all/manifest/?limit=1000`,
    );
    for (const [i, page] of ones.pages.entries()) {
      const added = manifest.body.objects[i]?.date_added;
      expect(page.headers.get('x-taxii-date-added-first')).toBe(added);
      expect(page.headers.get('x-taxii-date-added-last')).toBe(added);
    }
    const exact = await get<Envelope>('alphaAnalyst', `${ROOT}/collections/all/objects/?limit=${n}`);
    expect(exact.body).toMatchObject({ more: false });
    expect(exact.body.objects.length).toBe(n);
    const short = await get<Envelope>('alphaAnalyst', `${ROOT}/collections/all/objects/?limit=${n - 1}`);
    expect(short.body.more).toBe(true);
    const last = await get<Envelope>(
      'alphaAnalyst',
      `${ROOT}/collections/all/objects/?limit=${n - 1}&next=${short.body.next}`,
    );
    expect(last.body).toMatchObject({ more: false });
    expect(last.body.objects.map((o) => o.id)).toEqual([whole.body.objects.at(-1)?.id]);
    // The same next again gives the same page; a next with a larger limit gives the rest.
    const again = await get<Envelope>(
      'alphaAnalyst',
      `${ROOT}/collections/all/objects/?limit=5&next=${short.body.next}`,
    );
    expect(again.body.objects.map((o) => o.id)).toEqual(last.body.objects.map((o) => o.id));
    // Over the largest page: capped, the rest reachable through next.
    const big = await get<Envelope>('alphaAnalyst', `${ROOT}/collections/all/objects/?limit=100000`);
    expect(big.status).toBe(200);
  });

  it('added_after, match[type], match[id], match[version], match[spec_version]', async () => {
    const base = `${ROOT}/collections/all`;
    const manifest = (
      await get<{ objects: { id: string; date_added: string; version: string }[] }>(
        'alphaAnalyst',
        `${base}/manifest/?limit=1000`,
      )
    ).body.objects;
    const dates = [...new Set(manifest.map((m) => m.date_added))];
    expect(dates.length).toBeGreaterThan(1);
    for (const date of dates) {
      const after = await allPages(running.url, seeded.keys.alphaAnalyst, 'all', `added_after=${date}`, 7);
      expect(after.objects.map((o) => o.id)).toEqual(
        manifest.filter((m) => m.date_added > date).map((m) => m.id),
      );
    }
    const incidents = await get<Envelope>('alphaAnalyst', `${base}/objects/?match[type]=incident&limit=1000`);
    expect(incidents.body.objects.every((o) => o.type === 'incident')).toBe(true);
    const two = await get<Envelope>(
      'alphaAnalyst',
      `${base}/objects/?match[type]=incident,threat-actor&limit=1000`,
    );
    expect(new Set(two.body.objects.map((o) => o.type))).toEqual(new Set(['incident', 'threat-actor']));
    const target = manifest.find((m) => m.id.startsWith('incident--'));
    if (target === undefined) throw new Error('no incident');
    const one = await get<Envelope>('alphaAnalyst', `${base}/objects/?match[id]=${target.id}`);
    expect(one.body.objects.map((o) => o.id)).toEqual([target.id]);
    for (const version of ['first', 'last', 'all', target.version]) {
      const r = await get<Envelope>(
        'alphaAnalyst',
        `${base}/objects/?match[id]=${target.id}&match[version]=${version}`,
      );
      expect(r.body.objects.length, version).toBe(1);
    }
    const none = await get<Envelope>(
      'alphaAnalyst',
      `${base}/objects/?match[id]=${target.id}&match[version]=1999-01-01T00:00:00.000Z`,
    );
    expect(none.body.objects).toEqual([]);
    expect(
      (await get<Envelope>('alphaAnalyst', `${base}/objects/?match[spec_version]=2.0`)).body.objects,
    ).toEqual([]);
    expect(
      (await get<Envelope>('alphaAnalyst', `${base}/objects/?match[spec_version]=2.1&limit=1000`)).body
        .objects.length,
    ).toBe(manifest.length);
    // Object by id and its versions.
    const object = await get<Envelope>('alphaAnalyst', `${base}/objects/${target.id}/`);
    expect(object.status).toBe(200);
    expect(object.body.objects.map((o) => o.id)).toEqual([target.id]);
    expect(object.headers.get('x-taxii-date-added-first')).toBe(target.date_added);
    const versions = await get<{ versions: string[]; more: boolean }>(
      'alphaAnalyst',
      `${base}/objects/${target.id}/versions/`,
    );
    expect(versions.body).toEqual({ more: false, versions: [target.version] });
  });

  it('an incident hidden from the caller is a 404 by id, in every collection', async () => {
    const hidden = stixIncident(seeded.incidents.strict[0] as string);
    for (const p of ['betaAnalyst', 'gammaAnalyst', 'alphaViewer'] as const) {
      for (const c of ['all', 'tlp-amber-strict']) {
        const r = await get(p, `${ROOT}/collections/${c}/objects/${hidden}/`);
        expect(r.status, `${p} ${c}`).toBe(p === 'alphaViewer' ? 200 : 404);
        const v = await get(p, `${ROOT}/collections/${c}/objects/${hidden}/versions/`);
        expect(v.status).toBe(p === 'alphaViewer' ? 200 : 404);
      }
    }
  });

  it.each(PRINCIPAL_NAMES)(
    '%s: each TLP collection holds exactly the incidents whose marking for the caller is that level',
    async (p) => {
      const rest = await call<{ incidents: { id: string; tlp: string }[] }>(
        running.url,
        'GET',
        '/api/v1/incidents?limit=500',
        seeded.keys[p],
      );
      for (const tlp of TLPS) {
        const { pages, objects } = await allPages(running.url, seeded.keys[p], `tlp-${tlp}`, '', 50);
        for (const page of pages) {
          noLeak(p, page);
          expectValid(page.body.objects);
        }
        const level = tlp.replace('-', '+');
        const expected = rest.body.incidents.filter((i) => i.tlp === level).map((i) => stixIncident(i.id));
        const got = objects.filter((o) => o.type === 'incident');
        expect(got.map((o) => o.id).sort(), tlp).toEqual(expected.sort());
        const marking = {
          clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
          green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
          amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
          'amber-strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
          red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
        }[tlp];
        for (const o of got) expect(o.object_marking_refs).toEqual([marking]);
      }
    },
  );

  it('topic collections: by region and by group', async () => {
    const incidentsIn = async (p: PrincipalName, c: string) =>
      (await allPages(running.url, seeded.keys[p], c, 'match[type]=incident', 100)).objects.map((o) => o.id);
    const asia = await incidentsIn('alphaAnalyst', 'region-asia');
    // Kandahar (CLEAR), Peshawar (GREEN), Baghdad is gamma's, Kabul (RED: alpha/ana is a recipient).
    for (const a of ['clearLocal', 'green', 'red'] as const)
      for (const id of seeded.incidents[a]) expect(asia).toContain(stixIncident(id));
    for (const a of ['clear', 'amber', 'strict'] as const)
      for (const id of seeded.incidents[a]) expect(asia).not.toContain(stixIncident(id));
    const africa = await incidentsIn('gammaAnalyst', 'region-africa');
    expect(africa.sort()).toEqual(seeded.incidents.clear.map(stixIncident).sort());
    const taliban = await incidentsIn('betaViewer', 'group-taliban');
    expect(taliban).toEqual(seeded.incidents.clearLocal.map(stixIncident));
    expect(await incidentsIn('gammaAnalyst', 'group-iskp')).toEqual([]);
    expect((await incidentsIn('betaAnalyst', 'group-iskp')).sort()).toEqual(
      seeded.incidents.red.map(stixIncident).sort(),
    );
  });

  it('POST of objects: analysts only, imported under a marking of their organisation, with a status', async () => {
    const text = normaliseText(
      'Gunmen attacked a hotel in Nairobi, Kenya on Monday, killing six guests near the Zembrolt fountain, police said. Al-Shabaab claimed the attack.',
    );
    const doc = {
      id: documentId(text),
      text,
      title: 'Hotel attack',
      url: null,
      outlet: 'Partner Wire',
      published: '2024-05-13',
      language: detectLanguage(text),
      origin: 'partner',
    };
    const groups = loadGroups();
    const incidents = incidentsOf(doc, new Map(groups.map((g) => [g.id, g])));
    expect(incidents.length).toBeGreaterThan(0);
    const bundle = exportBundle({ incidents, documents: [doc], groups, tlp: 'amber+strict' });
    const broken = { type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}` };
    const posted = await taxii<{
      id: string;
      status: string;
      success_count: number;
      failure_count: number;
      pending_count: number;
      total_count: number;
      successes: { id: string; message?: string }[];
      failures: { id: string; message?: string }[];
    }>(running.url, 'POST', `${ROOT}/collections/all/objects/`, {
      key: seeded.keys.gammaAnalyst,
      body: { objects: [...bundle.objects, broken] },
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({
      status: 'complete',
      total_count: bundle.objects.length + 1,
      success_count: bundle.objects.length,
      failure_count: 1,
      pending_count: 0,
    });
    expect(posted.body.failures[0]?.id).toBe(broken.id);
    // Stored as gamma's copy, under an id of its own (src/stix/held.ts): the status names it.
    const postedId = stixIncident(incidents[0]?.id as string);
    const message = posted.body.successes.find((s) => s.id === postedId)?.message ?? '';
    const heldAs = /^stored as incident ([0-9a-f]{16}) \(TLP:AMBER\+STRICT\)$/.exec(message)?.[1];
    expect(heldAs, message).toBeDefined();
    expect(heldAs).not.toBe(incidents[0]?.id);
    const incidentId = stixIncident(heldAs as string);
    const status = await get(`gammaAnalyst`, `${ROOT}/status/${posted.body.id}/`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual(posted.body);
    expect((await get('alphaAnalyst', `${ROOT}/status/${posted.body.id}/`)).status).toBe(404);
    // Held under AMBER+STRICT for gamma: gamma sees it, alpha and beta do not.
    const gamma = await get<Envelope>(
      'gammaAnalyst',
      `${ROOT}/collections/tlp-amber-strict/objects/?limit=1000`,
    );
    expect(gamma.body.objects.map((o) => o.id)).toContain(incidentId);
    for (const p of ['alphaAdmin', 'betaAnalyst'] as const) {
      const r = await get(p, `${ROOT}/collections/all/objects/?limit=1000`);
      expect(r.text).not.toContain(incidentId);
      expect(r.text).not.toContain('Zembrolt');
    }
    // Posting again: already known.
    const twice = await taxii<{ successes: { id: string; message?: string }[] }>(
      running.url,
      'POST',
      `${ROOT}/collections/all/objects/`,
      { key: seeded.keys.gammaAnalyst, body: { objects: bundle.objects } },
    );
    expect(twice.body.successes.find((s) => s.id === postedId)?.message).toBe(
      `already posted by you as incident ${heldAs} (TLP:AMBER+STRICT)`,
    );
    expect(
      (
        await taxii(running.url, 'POST', `${ROOT}/collections/all/objects/`, {
          key: seeded.keys.gammaAnalyst,
          body: '{"objects": [',
        })
      ).status,
    ).toBe(400);
  });

  it('POST never lowers a marking: a GREEN incident in an AMBER report, posted to tlp-green, is held at AMBER', async () => {
    const text = normaliseText(
      'Gunmen attacked a market in Mombasa, Kenya on Friday, killing four traders near the Quellith gate, police said.',
    );
    const doc = {
      id: documentId(text),
      text,
      title: 'Market attack',
      url: null,
      outlet: 'Partner Wire',
      published: '2024-05-17',
      language: detectLanguage(text),
      origin: 'partner',
    };
    const groups = loadGroups();
    const incidents = incidentsOf(doc, new Map(groups.map((g) => [g.id, g])));
    const bundle = exportBundle({ incidents, documents: [doc], groups, tlp: 'amber' });
    const green = {
      type: 'incident',
      spec_version: '2.1',
      id: 'incident--6f0c2d1e-3b4a-4c5d-8e9f-0a1b2c3d4e5f',
      created: '2024-05-17T00:00:00.000Z',
      modified: '2024-05-17T00:00:00.000Z',
      name: 'Listed beside it',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    const objects = bundle.objects.map((o) =>
      o.type === 'report' ? { ...o, object_refs: [...(o.object_refs as string[]), green.id] } : o,
    );
    const posted = await taxii<{ successes: { id: string; message?: string }[] }>(
      running.url,
      'POST',
      `${ROOT}/collections/tlp-green/objects/`,
      { key: seeded.keys.gammaAnalyst, body: { objects: [...objects, green] } },
    );
    expect(posted.status).toBe(202);
    for (const id of [green.id, stixIncident(incidents[0]?.id as string)])
      expect(posted.body.successes.find((s) => s.id === id)?.message).toMatch(/\(TLP:AMBER\)$/);
    for (const p of ['alphaAdmin', 'betaAnalyst'] as const) {
      const r = await get(p, `${ROOT}/collections/all/objects/?limit=1000`);
      expect(r.text).not.toContain('Quellith');
      expect(r.text).not.toContain('Listed beside it');
    }
  });
});
