import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../store/index.js';
import { ApiError } from './errors.js';
import {
  type ObjectPage,
  type ObjectQuery,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  type TaxiiService,
} from './taxii-service.js';

/* TAXII 2.1 under /taxii2/: discovery, the API root `vigil`, its collections (by TLP 2.0 marking, by
 * region, by group, and all), objects, manifest, object by id, versions, status, and POST of
 * objects for analysts. Every route calls TaxiiService, which filters by the caller's clearance.
 * Requests must accept `application/taxii+json;version=2.1` (406 otherwise) and POST bodies must be
 * of that type (415 otherwise). Authentication: `Authorization: Bearer <key>` or HTTP Basic with
 * the key as the password (app.ts); errors are TAXII error messages. */

export const TAXII_PREFIX = '/taxii2';
const ROOT = '/vigil';

/** The API key of an Authorization header: `Bearer <key>`, or with `basic` also HTTP Basic whose
 * password is the key (the user name is not checked: the key says who is calling). */
export function apiKeyOf(header: string, basic: boolean): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1] !== undefined) return bearer[1];
  if (!basic) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password === '' ? null : password;
}

/** Whether a request is for the TAXII server (and may authenticate with HTTP Basic). */
export const isTaxiiPath = (url: string) => url === TAXII_PREFIX || url.startsWith(`${TAXII_PREFIX}/`);

function caller(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError(401, 'unauthenticated', 'an API key is needed');
  return request.principal;
}

/** Whether an Accept header admits TAXII 2.1 JSON (no header admits anything). */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const param = (name: string) =>
      params
        .find((p) => p.startsWith(`${name}=`))
        ?.slice(name.length + 1)
        .replace(/^"|"$/g, '');
    if (param('q') !== undefined && Number(param('q')) === 0) return false;
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = param('version');
    return version === undefined || version === '2.1';
  });
}

function isTaxiiContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type = '', ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/taxii+json') return false;
  const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
  return version === undefined || version === '2.1';
}

/** A query parameter's values: repeated parameters and comma-separated lists alike. */
function list(query: Record<string, unknown>, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const out = values.map((v) => v.trim()).filter((v) => v !== '');
  return out.length === 0 ? undefined : out;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new ApiError(400, 'invalid_request', `${name} may be given once`);
  return String(value);
}

const KNOWN = new Set([
  'limit',
  'next',
  'added_after',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
]);

function objectQuery(request: FastifyRequest, allowed: readonly string[] = [...KNOWN]): ObjectQuery {
  const query = (request.query ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name))
      throw new ApiError(400, 'invalid_request', `unknown parameter ${name} (${allowed.join(', ')})`);
  }
  const limitText = single(query, 'limit');
  let limit: number | undefined;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) throw new ApiError(400, 'invalid_request', 'limit must be a whole number');
    limit = Number(limitText);
  }
  return {
    limit,
    next: single(query, 'next'),
    addedAfter: single(query, 'added_after'),
    ids: list(query, 'match[id]'),
    types: list(query, 'match[type]'),
    versions: list(query, 'match[version]'),
    specVersions: list(query, 'match[spec_version]'),
  };
}

/** Sends a body as TAXII JSON; a Buffer is JSON already, as UTF-8. */
function send(reply: FastifyReply, status: number, body: unknown) {
  return reply
    .status(status)
    .header('content-type', TAXII_MEDIA_TYPE)
    .send(Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8'));
}

function pageHeaders(reply: FastifyReply, page: ObjectPage): void {
  const first = page.items[0];
  const last = page.items.at(-1);
  if (first !== undefined && last !== undefined) {
    reply.header('X-TAXII-Date-Added-First', first.dateAdded);
    reply.header('X-TAXII-Date-Added-Last', last.dateAdded);
  }
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** A page of objects as a TAXII envelope, in JSON: the objects are UTF-8 JSON already (each
 * incident's export is cached so), so the envelope is a copy of their bytes, never re-encoded. */
function envelope(page: ObjectPage): Buffer {
  const head = JSON.stringify({ more: page.more, ...(page.next === null ? {} : { next: page.next }) });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"objects":[`, 'utf8')];
  page.items.forEach((item, n) => {
    if (n > 0) parts.push(COMMA);
    parts.push(item.json);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  406: 'Not acceptable',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
};

/** The address the server listens on (`http://127.0.0.1:8080`), for discovery when no public URL is
 * set: never the request's Host header, which the client chooses. Bound to every interface (0.0.0.0,
 * ::), the address the connection came in on. */
function listeningBase(request: FastifyRequest): string {
  const bound = request.server.server.address();
  if (bound === null || typeof bound === 'string') return 'http://localhost';
  const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
  const host = (wildcard ? (request.socket.localAddress ?? bound.address) : bound.address).replace(
    /^::ffff:(?=\d+\.)/,
    '',
  );
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`;
}

export async function registerTaxii(
  app: FastifyInstance,
  options: { service: TaxiiService; publicUrl: string | null },
): Promise<void> {
  const service = options.service;
  await app.register(
    async (taxii) => {
      taxii.addContentTypeParser(/^application\/taxii\+json/i, { parseAs: 'string' }, (_req, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch (error) {
          const e = new ApiError(400, 'invalid_json', `the body is not JSON: ${(error as Error).message}`);
          done(e, undefined);
        }
      });

      taxii.addHook('preHandler', async (request) => {
        if (!acceptsTaxii(request.headers.accept))
          throw new ApiError(406, 'not_acceptable', `this server answers ${TAXII_MEDIA_TYPE} only`);
      });

      taxii.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
        let status: number;
        let code: string;
        let message = error.message;
        if (error instanceof ApiError) {
          status = error.status;
          code = error.code;
        } else if (error.validation) {
          status = 400;
          code = 'invalid_request';
        } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
          status = 413;
          code = 'body_too_large';
        } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
          status = 415;
          code = 'unsupported_media_type';
          message = `POST bodies must be ${TAXII_MEDIA_TYPE}`;
        } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
          status = 400;
          code = 'invalid_json';
        } else {
          status = error.statusCode ?? 500;
          code = (error.code ?? 'error').toLowerCase();
        }
        if (status >= 500) {
          request.log.error({ err: error }, 'request failed');
          status = 500;
          code = 'internal';
          message = 'internal error';
        }
        if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="vigil", Bearer realm="vigil"');
        return send(reply, status, {
          title: TITLES[status] ?? 'Error',
          description: message,
          error_code: code,
          http_status: String(status),
        });
      });
      taxii.setNotFoundHandler((request, reply) =>
        send(reply, 404, {
          title: 'Not found',
          description: `no TAXII resource ${request.method} ${request.url.split('?')[0]}`,
          error_code: 'not_found',
          http_status: '404',
        }),
      );

      const base = (request: FastifyRequest) => options.publicUrl ?? listeningBase(request);
      const noQuery = (request: FastifyRequest) => objectQuery(request, []);
      const schema = (summary: string) => ({ schema: { tags: ['taxii'], summary } });

      taxii.get('/', schema('TAXII 2.1 discovery'), async (request, reply) => {
        noQuery(request);
        caller(request);
        return send(reply, 200, service.discovery(base(request)));
      });
      taxii.get(`${ROOT}/`, schema('TAXII 2.1 API root'), async (request, reply) => {
        noQuery(request);
        caller(request);
        return send(reply, 200, service.apiRoot());
      });
      taxii.get(`${ROOT}/status/:id/`, schema('Status of a POST of objects'), async (request, reply) => {
        noQuery(request);
        const s = await service.status(caller(request), (request.params as { id: string }).id);
        return send(reply, 200, statusJson(s));
      });
      taxii.get(`${ROOT}/collections/`, schema('Collections'), async (request, reply) => {
        noQuery(request);
        return send(reply, 200, service.listCollections(caller(request)));
      });
      taxii.get(`${ROOT}/collections/:id/`, schema('A collection'), async (request, reply) => {
        noQuery(request);
        return send(
          reply,
          200,
          service.getCollection(caller(request), (request.params as { id: string }).id),
        );
      });
      taxii.get(
        `${ROOT}/collections/:id/manifest/`,
        schema('Manifest of a collection'),
        async (request, reply) => {
          const page = await service.objects(
            caller(request),
            (request.params as { id: string }).id,
            objectQuery(request),
          );
          pageHeaders(reply, page);
          return send(reply, 200, {
            more: page.more,
            ...(page.next === null ? {} : { next: page.next }),
            objects: page.items.map((i) => ({
              id: i.id,
              date_added: i.dateAdded,
              version: i.version,
              media_type: STIX_MEDIA_TYPE,
            })),
          });
        },
      );
      taxii.get(
        `${ROOT}/collections/:id/objects/`,
        schema('Objects of a collection'),
        async (request, reply) => {
          const page = await service.objects(
            caller(request),
            (request.params as { id: string }).id,
            objectQuery(request),
          );
          pageHeaders(reply, page);
          return send(reply, 200, envelope(page));
        },
      );
      taxii.post(
        `${ROOT}/collections/:id/objects/`,
        { ...schema('Add objects (analyst): imported through the STIX import') },
        async (request, reply) => {
          noQuery(request);
          const p = caller(request);
          if (!isTaxiiContentType(request.headers['content-type']))
            throw new ApiError(415, 'unsupported_media_type', `POST bodies must be ${TAXII_MEDIA_TYPE}`);
          const s = await service.addObjects(p, (request.params as { id: string }).id, request.body);
          return send(reply, 202, statusJson(s));
        },
      );
      taxii.get(`${ROOT}/collections/:id/objects/:objectId/`, schema('An object'), async (request, reply) => {
        const params = request.params as { id: string; objectId: string };
        const query = objectQuery(request, [
          'next',
          'limit',
          'added_after',
          'match[version]',
          'match[spec_version]',
        ]);
        const page = await service.object(caller(request), params.id, params.objectId, query);
        pageHeaders(reply, page);
        return send(reply, 200, envelope(page));
      });
      taxii.get(
        `${ROOT}/collections/:id/objects/:objectId/versions/`,
        schema('Versions of an object'),
        async (request, reply) => {
          const params = request.params as { id: string; objectId: string };
          const query = objectQuery(request, ['next', 'limit', 'added_after', 'match[spec_version]']);
          const page = await service.versions(caller(request), params.id, params.objectId, query);
          pageHeaders(reply, page);
          return send(reply, 200, {
            more: page.more,
            ...(page.next === null ? {} : { next: page.next }),
            versions: page.items.map((i) => i.version),
          });
        },
      );
    },
    { prefix: TAXII_PREFIX },
  );
}

function statusJson(s: Awaited<ReturnType<TaxiiService['status']>>) {
  return {
    id: s.id,
    status: s.status,
    request_timestamp: s.requestTimestamp,
    total_count: s.successes.length + s.failures.length + s.pendings.length,
    success_count: s.successes.length,
    successes: s.successes,
    failure_count: s.failures.length,
    failures: s.failures,
    pending_count: s.pendings.length,
    pendings: s.pendings,
  };
}
