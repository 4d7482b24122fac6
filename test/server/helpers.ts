import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { detectLanguage, documentId, normaliseText } from '../../src/sources/index.js';
import type { Role, Store } from '../../src/store/index.js';
import type { TestDatabase, TestDialect } from '../store/databases.js';
import { ARTICLES, PUBLISHED } from './fixtures.js';

export interface Running {
  readonly store: Store;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every log line the server wrote, as text. */
  readonly logs: string[];
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 (port 0) over a fresh database of the dialect, logs captured. */
export async function startServer(
  dialect: TestDialect,
  options: Partial<Omit<ServerOptions, 'store'>> = {},
  database: TestDatabase = dialect.fresh(),
): Promise<Running> {
  const store = await dialect.open(database);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer({ store, log: { stream, level: 'debug' }, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { store, app, url: `http://127.0.0.1:${address.port}`, logs, close: () => app.close() };
}

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly headers: Headers;
}

/** A request with an optional key; the body is JSON unless it is a string. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  key?: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

export const PRINCIPALS = {
  alphaAdmin: { org: 'alpha', role: 'admin', user: 'adm' },
  alphaAnalyst: { org: 'alpha', role: 'analyst', user: 'ana' },
  alphaViewer: { org: 'alpha', role: 'viewer', user: 'avi' },
  alphaOrgKey: { org: 'alpha', role: 'viewer' },
  betaAnalyst: { org: 'beta', role: 'analyst', user: 'bo' },
  betaViewer: { org: 'beta', role: 'viewer', user: 'bev' },
  gammaAnalyst: { org: 'gamma', role: 'analyst', user: 'gil' },
} as const satisfies Record<string, { org: string; role: Role; user?: string }>;
export type PrincipalName = keyof typeof PRINCIPALS;
export type ArticleName = keyof typeof ARTICLES;

/** Who may see each article (by its marking). */
export const CLEARED: Readonly<Record<ArticleName, readonly PrincipalName[]>> = {
  clearLocal: Object.keys(PRINCIPALS) as PrincipalName[],
  clear: Object.keys(PRINCIPALS) as PrincipalName[],
  green: Object.keys(PRINCIPALS) as PrincipalName[],
  amber: ['alphaAdmin', 'alphaAnalyst', 'alphaViewer', 'alphaOrgKey', 'betaAnalyst', 'betaViewer'],
  amberGamma: ['gammaAnalyst'],
  strict: ['alphaAdmin', 'alphaAnalyst', 'alphaViewer', 'alphaOrgKey'],
  red: ['alphaAnalyst', 'betaAnalyst'],
};

export interface Seeded {
  readonly keys: Record<PrincipalName, string>;
  readonly documents: Record<ArticleName, string>;
  readonly incidents: Record<ArticleName, string[]>;
}

/** Organisations alpha (shares AMBER with beta), beta and gamma; a key per principal; the articles:
 * clearLocal stored as the CLI stores (unmarked), the others posted through the API. */
export async function seed(running: Running): Promise<Seeded> {
  const { store, url } = running;
  for (const org of ['alpha', 'beta', 'gamma']) await store.access.addOrg(org);
  await store.access.shareOrg('alpha', 'beta');
  const keys = {} as Record<PrincipalName, string>;
  for (const [name, p] of Object.entries(PRINCIPALS)) {
    keys[name as PrincipalName] = (
      await store.access.createKey({ org: p.org, role: p.role, user: 'user' in p ? p.user : undefined })
    ).key;
  }
  const documents = {} as Record<ArticleName, string>;
  const incidents = {} as Record<ArticleName, string[]>;
  // As `vigil ingest` without --tlp stores it: no marking, so CLEAR.
  const text = normaliseText(ARTICLES.clearLocal.text);
  const doc = {
    id: documentId(text),
    text,
    title: 'Checkpoint attack',
    url: null,
    outlet: 'Local Wire',
    published: PUBLISHED,
    language: detectLanguage(text),
    origin: 'local.txt',
  };
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  await store.syncGroups(loadGroups());
  const saved = await store.saveDocument(doc, incidentsOf(doc, groups));
  documents.clearLocal = doc.id;
  incidents.clearLocal = [...saved.incidentIds];
  const posts: [ArticleName, PrincipalName, string, string[]?][] = [
    ['clear', 'alphaAnalyst', 'clear'],
    ['green', 'alphaAnalyst', 'green'],
    ['amber', 'alphaAnalyst', 'amber'],
    ['amberGamma', 'gammaAnalyst', 'amber'],
    ['strict', 'alphaAnalyst', 'amber+strict'],
    ['red', 'alphaAnalyst', 'red', ['beta/bo']],
  ];
  for (const [article, poster, tlp, recipients] of posts) {
    const reply = await call<{ document_id: string; incidents: { id: string }[] }>(
      url,
      'POST',
      '/api/v1/documents',
      keys[poster],
      {
        text: ARTICLES[article].text,
        title: `Report ${ARTICLES[article].marker}`,
        published: PUBLISHED,
        tlp,
        ...(recipients ? { recipients } : {}),
      },
    );
    if (reply.status !== 201) throw new Error(`seeding ${article}: ${reply.status} ${reply.text}`);
    documents[article] = reply.body.document_id;
    incidents[article] = reply.body.incidents.map((i) => i.id);
    if (incidents[article].length === 0) throw new Error(`seeding ${article}: no incident`);
  }
  return { keys, documents, incidents };
}
