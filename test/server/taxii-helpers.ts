import type { Reply } from './helpers.js';

export const TAXII = 'application/taxii+json;version=2.1';
export const ROOT = '/taxii2/vigil';

export interface TaxiiCall {
  readonly key?: string | null;
  readonly basic?: boolean;
  readonly accept?: string | null;
  readonly contentType?: string;
  readonly body?: unknown;
}

/** A TAXII request: Accept TAXII 2.1 unless told otherwise, the key as Bearer or (basic) as the
 * HTTP Basic password. */
export async function taxii<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: TaxiiCall = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.accept !== null) headers.accept = options.accept ?? TAXII;
  if (options.key) {
    headers.authorization = options.basic
      ? `Basic ${Buffer.from(`someone:${options.key}`).toString('base64')}`
      : `Bearer ${options.key}`;
  }
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? TAXII;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
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

export interface StixLike {
  readonly id: string;
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface Envelope {
  more: boolean;
  next?: string;
  objects: StixLike[];
}

/** Every page of a collection's objects (following next), with each page's reply. */
export async function allPages(
  base: string,
  key: string,
  collection: string,
  query = '',
  limit = 3,
): Promise<{ pages: Reply<Envelope>[]; objects: StixLike[] }> {
  const pages: Reply<Envelope>[] = [];
  let next: string | undefined;
  for (let n = 0; n < 10_000; n++) {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (next !== undefined) params.set('next', next);
    const reply = await taxii<Envelope>(base, 'GET', `${ROOT}/collections/${collection}/objects/?${params}`, {
      key,
    });
    if (reply.status !== 200) throw new Error(`page ${n}: ${reply.status} ${reply.text}`);
    pages.push(reply);
    if (!reply.body.more) break;
    next = reply.body.next;
    if (next === undefined) throw new Error('more without next');
  }
  return { pages, objects: pages.flatMap((p) => p.body.objects) };
}
