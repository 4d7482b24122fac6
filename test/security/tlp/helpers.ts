import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { loadGroups } from '../../../src/knowledge/groups.js';
import { blankIncident, type Incident } from '../../../src/resolve/incident.js';
import { exportBundle } from '../../../src/stix/index.js';
import {
  call,
  PRINCIPALS,
  type PrincipalName,
  type Reply,
  type Running,
  startServer,
} from '../../server/helpers.js';
import { type Envelope, ROOT, type StixLike, taxii } from '../../server/taxii-helpers.js';
import type { TestDialect } from '../../store/databases.js';

/* Shared by the TLP suites: a world of organisations and keys on a real server, articles posted
 * through the API, who may see what, paging helpers, the normalisation of wall-clock timestamps for
 * the differential comparisons, and leak checks.
 *
 * Organisations: alpha (shares its AMBER with beta), beta, gamma; one key per principal of
 * test/server/helpers.ts PRINCIPALS. Users are org/name: alpha/ana, beta/bo, gamma/gil, … */

export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
export const TLP_ORDER: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
/** Who shares its AMBER with whom in every world. */
export const SHARES: Readonly<Record<string, readonly string[]>> = { alpha: ['beta'] };
export const PRINCIPAL_NAMES = Object.keys(PRINCIPALS) as PrincipalName[];

/** The timing and sweep tests make thousands of requests per key: no rate limit. */
export const NO_RATE_LIMIT = { rateLimit: { max: 10_000_000, windowMs: 60_000 } } as const;

export interface Article {
  readonly name: string;
  readonly poster: PrincipalName;
  readonly tlp: Tlp;
  /** TLP:RED: users (org/name) besides the poster. */
  readonly recipients?: readonly string[];
  readonly published?: string;
  readonly title?: string;
  readonly url?: string;
  readonly text: string;
}

export interface IncidentOut {
  readonly id: string;
  readonly tlp: string;
  readonly sources: string[];
  readonly evidence: { document_id: string; field: string; value: string }[];
  readonly [field: string]: unknown;
}

export interface Ingested {
  readonly status: string;
  readonly document_id: string;
  readonly tlp: string;
  readonly incidents: IncidentOut[];
}

export interface World {
  readonly running: Running;
  readonly url: string;
  readonly keys: Record<PrincipalName, string>;
  close(): Promise<void>;
}

/** A server over a fresh database of the dialect with the organisations, shares and keys. */
export async function startWorld(dialect: TestDialect): Promise<World> {
  const running = await startServer(dialect, NO_RATE_LIMIT);
  const { store } = running;
  for (const org of ['alpha', 'beta', 'gamma']) await store.access.addOrg(org);
  for (const [owner, withOrgs] of Object.entries(SHARES))
    for (const withOrg of withOrgs) await store.access.shareOrg(owner, withOrg);
  const keys = {} as Record<PrincipalName, string>;
  for (const name of PRINCIPAL_NAMES) {
    const p = PRINCIPALS[name];
    keys[name] = (
      await store.access.createKey({ org: p.org, role: p.role, user: 'user' in p ? p.user : undefined })
    ).key;
  }
  return { running, url: running.url, keys, close: () => running.close() };
}

/** A key of a new principal of an organisation (another key of the same kind as one in PRINCIPALS). */
export async function extraKey(world: World, like: PrincipalName, user?: string): Promise<string> {
  const p = PRINCIPALS[like];
  return (await world.running.store.access.createKey({ org: p.org, role: p.role, user })).key;
}

export function userId(p: PrincipalName): string | null {
  const principal = PRINCIPALS[p];
  return 'user' in principal ? `${principal.org}/${principal.user}` : null;
}

/** The rule of TLP 2.0 as the README states it, for an article as posted (one holding). */
export function sees(p: PrincipalName, a: Pick<Article, 'poster' | 'tlp' | 'recipients'>): boolean {
  const org = PRINCIPALS[p].org;
  const owner = PRINCIPALS[a.poster].org;
  switch (a.tlp) {
    case 'clear':
    case 'green':
      return true;
    case 'amber':
      return org === owner || (SHARES[owner] ?? []).includes(org);
    case 'amber+strict':
      return org === owner;
    case 'red': {
      const me = userId(p);
      return me !== null && [userId(a.poster), ...(a.recipients ?? [])].includes(me);
    }
  }
}

export const mostRestrictive = (levels: readonly string[]): string =>
  levels.reduce(
    (worst, l) => (TLP_ORDER.indexOf(l as Tlp) > TLP_ORDER.indexOf(worst as Tlp) ? l : worst),
    'clear',
  );

export function get<T = unknown>(world: World, p: PrincipalName, path: string): Promise<Reply<T>> {
  return call<T>(world.url, 'GET', path, world.keys[p]);
}

/** POST /api/v1/documents of an article: by its poster under its marking unless told otherwise. */
export function post(
  world: World,
  a: Article,
  options: { as?: PrincipalName; tlp?: Tlp; recipients?: readonly string[]; metadata?: boolean } = {},
): Promise<Reply<Ingested>> {
  const tlp = options.tlp ?? a.tlp;
  const recipients = options.recipients ?? (options.tlp === undefined ? a.recipients : undefined);
  const metadata = options.metadata ?? options.as === undefined;
  return call<Ingested>(world.url, 'POST', '/api/v1/documents', world.keys[options.as ?? a.poster], {
    text: a.text,
    tlp,
    ...(recipients && recipients.length > 0 ? { recipients } : {}),
    ...(metadata && a.title !== undefined ? { title: a.title } : {}),
    ...(metadata && a.url !== undefined ? { url: a.url } : {}),
    ...(metadata && a.published !== undefined ? { published: a.published } : {}),
  });
}

export interface Posted {
  readonly document: string;
  readonly incidents: string[];
  readonly reply: Reply<Ingested>;
}

/** Posts the articles in order, each by its poster under its marking; each must be stored (201). */
export async function seedArticles(
  world: World,
  articles: readonly Article[],
): Promise<Record<string, Posted>> {
  const out: Record<string, Posted> = {};
  for (const a of articles) {
    const reply = await post(world, a);
    if (reply.status !== 201) throw new Error(`seeding ${a.name}: ${reply.status} ${reply.text}`);
    out[a.name] = {
      document: reply.body.document_id,
      incidents: reply.body.incidents.map((i) => i.id),
      reply,
    };
  }
  return out;
}

interface Paged {
  readonly next_cursor: string | null;
  readonly [list: string]: unknown;
}

/** Every page of a list of /api/v1 (following next_cursor), the items concatenated. */
export async function allItems<T = unknown>(
  world: World,
  p: PrincipalName,
  path: string,
  list: string,
  limit = 2,
): Promise<{ items: T[]; replies: Reply<Paged>[] }> {
  const items: T[] = [];
  const replies: Reply<Paged>[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 500; n++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const reply: Reply<Paged> = await get<Paged>(world, p, url);
    replies.push(reply);
    if (reply.status !== 200) throw new Error(`GET ${url}: ${reply.status} ${reply.text}`);
    items.push(...((reply.body[list] as T[] | undefined) ?? []));
    cursor = reply.body.next_cursor;
    if (cursor === null) return { items, replies };
  }
  throw new Error(`${path}: more than 500 pages`);
}

/** Every page of GET /api/v1/stix (following X-Next-Cursor), the objects concatenated. */
export async function allStix(
  world: World,
  p: PrincipalName,
  query = '',
  limit = 2,
): Promise<{ objects: StixLike[]; replies: Reply<{ objects: StixLike[] }>[] }> {
  const objects: StixLike[] = [];
  const replies: Reply<{ objects: StixLike[] }>[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 500; n++) {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (cursor !== null) params.set('cursor', cursor);
    const reply: Reply<{ objects: StixLike[] }> = await get(world, p, `/api/v1/stix?${params}`);
    replies.push(reply);
    if (reply.status !== 200) throw new Error(`GET /stix?${params}: ${reply.status} ${reply.text}`);
    objects.push(...reply.body.objects);
    cursor = reply.headers.get('x-next-cursor');
    if (cursor === null) return { objects, replies };
  }
  throw new Error('stix: more than 500 pages');
}

/** Every page of a TAXII collection's objects (following next), the objects concatenated. */
export async function allTaxii(
  world: World,
  p: PrincipalName,
  collection: string,
  limit = 4,
  query = '',
): Promise<{ objects: StixLike[]; replies: Reply<Envelope>[] }> {
  const objects: StixLike[] = [];
  const replies: Reply<Envelope>[] = [];
  let next: string | undefined;
  for (let n = 0; n < 500; n++) {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (next !== undefined) params.set('next', next);
    const path = `${ROOT}/collections/${collection}/objects/?${params}`;
    const reply = await taxii<Envelope>(world.url, 'GET', path, { key: world.keys[p] });
    replies.push(reply);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.text}`);
    objects.push(...reply.body.objects);
    if (!reply.body.more) return { objects, replies };
    next = reply.body.next;
    if (next === undefined) throw new Error(`${path}: more without next`);
  }
  throw new Error(`${collection}: more than 500 pages`);
}

// Wall-clock timestamps: replaced by their rank, so that two stores built at different times compare
// equal when their timestamps are in the same order.

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})/g;
const WHOLE_ISO_TIME = new RegExp(`^${ISO_TIME.source}$`);

/** Whether a string is a timestamp of the test run (at or after `since`, ms since the epoch). */
function isWallClock(value: string, since: number): boolean {
  const t = Date.parse(value);
  return !Number.isNaN(t) && t >= since;
}

/**
 * The value with every wall-clock timestamp (at or after `since`) replaced by its dense rank among
 * the timestamps of the same property name (`@created_at#0`, `@created_at#1`, …), and timestamps
 * inside longer strings by their rank among all such (`@#0`). Order is kept, values are not.
 */
export function normaliseTimes(value: unknown, since: number): unknown {
  const byKey = new Map<string, Set<string>>();
  const embedded = new Set<string>();
  const collect = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (WHOLE_ISO_TIME.test(v)) {
        if (isWallClock(v, since)) byKey.set(key, (byKey.get(key) ?? new Set()).add(v));
      } else for (const m of v.matchAll(ISO_TIME)) if (isWallClock(m[0], since)) embedded.add(m[0]);
    } else if (Array.isArray(v)) for (const x of v) collect(x, key);
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) collect(x, k);
  };
  collect(value, '');
  const rank = (set: Set<string>) =>
    new Map([...set].sort((a, b) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : 1)).map((t, n) => [t, n]));
  const keyRanks = new Map([...byKey].map(([k, set]) => [k, rank(set)]));
  const textRanks = rank(embedded);
  const replace = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      const whole = keyRanks.get(key)?.get(v);
      if (whole !== undefined) return `@${key}#${whole}`;
      return v.replace(ISO_TIME, (m) => {
        const n = textRanks.get(m);
        return n === undefined ? m : `@#${n}`;
      });
    }
    if (Array.isArray(v)) return v.map((x) => replace(x, key));
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x, k)]));
    return v;
  };
  return replace(value, '');
}

/** A text with its wall-clock timestamps replaced by their rank (`@#0`, …). */
export function normaliseText(text: string, since: number): string {
  return normaliseTimes(text, since) as string;
}

export interface Difference {
  readonly path: string;
  readonly a: string;
  readonly b: string;
}

const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

/** Where two JSON values first differ (depth first), or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): Difference | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return { path, a: shown(a), b: shown(b) };
  }
  if (Array.isArray(a) !== Array.isArray(b)) return { path, a: shown(a), b: shown(b) };
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    if (a.length !== b.length)
      return {
        path: `${path}.length`,
        a: `${a.length}: ${shown(a.slice(b.length))}`,
        b: `${b.length}: ${shown(b.slice(a.length))}`,
      };
    return undefined;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
  for (const k of keys) {
    if (!(k in ao) || !(k in bo)) return { path: `${path}.${k}`, a: shown(ao[k]), b: shown(bo[k]) };
    const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** The secrets (compared in lower case) a text contains. */
export function leaked(text: string, secrets: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return [...new Set(secrets.filter((s) => s !== '' && lower.includes(s.toLowerCase())))];
}

/** Every read a principal can make of the whole store (REST, dashboard, exports, TAXII): for leak
 * sweeps. Each entry is the path and its reply. */
export async function sweep(world: World, p: PrincipalName): Promise<{ what: string; reply: Reply }[]> {
  const paths = [
    '/api/v1/incidents?limit=500',
    '/api/v1/documents?limit=500',
    '/api/v1/stix?limit=500',
    '/api/v1/groups/discovered',
    '/api/v1/overview',
    '/api/v1/map',
    '/api/v1/timeline?by=group',
    '/api/v1/timeline?by=country',
    '/api/v1/export/incidents.csv',
    '/api/v1/export/incidents.geojson',
    '/api/v1/alerts?limit=500',
    '/api/v1/threat',
    '/api/v1/graph',
    '/api/v1/brief?format=md',
  ];
  const out: { what: string; reply: Reply }[] = [];
  const replies = await Promise.all(paths.map((path) => get(world, p, path)));
  paths.forEach((path, n) => {
    out.push({ what: `GET ${path}`, reply: replies[n] as Reply });
  });
  const listed = (replies[0]?.body as { incidents?: { id: string }[] } | undefined)?.incidents ?? [];
  for (const i of listed) {
    out.push({ what: `GET /incidents/${i.id}`, reply: await get(world, p, `/api/v1/incidents/${i.id}`) });
    out.push({
      what: `GET /incidents/${i.id}/reports`,
      reply: await get(world, p, `/api/v1/incidents/${i.id}/reports`),
    });
  }
  const docs = (replies[1]?.body as { documents?: { id: string }[] } | undefined)?.documents ?? [];
  for (const d of docs)
    out.push({ what: `GET /documents/${d.id}`, reply: await get(world, p, `/api/v1/documents/${d.id}`) });
  for (const collection of ['all', 'tlp-clear', 'tlp-green', 'tlp-amber', 'tlp-amber-strict', 'tlp-red']) {
    const path = `${ROOT}/collections/${collection}/objects/?limit=1000`;
    out.push({
      what: `TAXII ${collection}`,
      reply: await taxii(world.url, 'GET', path, { key: world.keys[p] }),
    });
  }
  return out;
}

/** Fails with every leak found in the replies: `secrets` must appear in none. */
export function leaksIn(
  replies: readonly { what: string; reply: Reply }[],
  secrets: readonly string[],
): string[] {
  const found: string[] = [];
  for (const { what, reply } of replies) {
    const hits = leaked(reply.text, secrets);
    if (hits.length > 0) found.push(`${what} (${reply.status}) carries ${hits.join(', ')}`);
  }
  return found;
}

/** A raw HTTP request (the Host header as given, which fetch does not allow). */
export function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(parts).toString('utf8'),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** TLP 2.0 marking-definition ids (the TLP 2.0 STIX extension's official objects). */
export const TLP_MARKING: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export const freshIncidentId = () => randomBytes(8).toString('hex');
export const freshDocumentId = () => randomBytes(32).toString('hex');

/** The STIX objects (Vigil's export, valid STIX 2.1 with Vigil's extension) of one incident whose
 * Vigil id is `incident` (extension `vigil_id`) and whose only source is the document `document`
 * (`source_documents`, and the report's `document_id`). */
export function incidentObjects(spec: {
  incident: string;
  document: string;
  tlp: Tlp;
  name?: string;
  country?: string;
}): StixLike[] {
  const incident: Incident = {
    ...blankIncident(spec.incident, [spec.document]),
    date: { date: '2024-05-11', precision: 'day' },
    country: spec.country ?? 'AF',
    attackTypes: ['bombing_explosion'],
  };
  const bundle = exportBundle({
    incidents: [incident],
    documents: [
      {
        id: spec.document,
        title: spec.name ?? 'Partner report',
        url: null,
        outlet: 'Partner Wire',
        published: '2024-05-11',
        language: 'en',
      },
    ],
    groups: loadGroups(),
    tlp: spec.tlp,
  });
  return bundle.objects as unknown as StixLike[];
}

export interface TaxiiStatusBody {
  readonly id: string;
  readonly status: string;
  readonly success_count: number;
  readonly failure_count: number;
  readonly successes: { id: string; version?: string; message?: string }[];
  readonly failures: { id: string; version?: string; message?: string }[];
  readonly [k: string]: unknown;
}

/** POST of objects to a TAXII collection as a principal. */
export function postObjects(
  world: World,
  p: PrincipalName,
  collection: string,
  objects: readonly unknown[],
): Promise<Reply<TaxiiStatusBody>> {
  return taxii<TaxiiStatusBody>(world.url, 'POST', `${ROOT}/collections/${collection}/objects/`, {
    key: world.keys[p],
    body: { objects },
  });
}

export { call, PRINCIPALS, type PrincipalName, type Reply, type Running, type StixLike };
