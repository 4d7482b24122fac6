import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { type DestinationStream, type LevelWithSilent, pino } from 'pino';
import type { Principal, Store } from '../store/index.js';
import { Dashboard } from './dashboard.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { ApiError } from './errors.js';
import { refuseNul } from './nul.js';
import { publicBaseUrl } from './public-url.js';
import { registerRoutes } from './routes.js';
import { Service } from './service.js';
import { registerStatic } from './static.js';
import { apiKeyOf, isTaxiiPath, registerTaxii } from './taxii.js';
import { TaxiiService } from './taxii-service.js';
import { useStrictBodies } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, from its API key; null on the public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Served without an API key (health, readiness, the OpenAPI document and docs). */
    public?: boolean;
  }
}

export interface ServerOptions {
  readonly store: Store;
  /** Closed with the server (default true). */
  readonly closeStore?: boolean;
  /** Where the JSON log lines go (default stdout) and from which level (default info). */
  readonly log?: { readonly stream?: DestinationStream; readonly level?: LevelWithSilent };
  /** Largest request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Requests per caller (API key, else address) and window (default 600 a minute). */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number };
  /** Failed authentications per address and window before every request from it is refused
   * (default 10 in 15 minutes): key guessing is stopped long before it could succeed. */
  readonly authFailures?: { readonly max: number; readonly windowMs: number };
  /** The built web dashboard (dist/web), served at `/` when it holds an index.html. */
  readonly webRoot?: string | null;
  /** Where clients reach the server (`https://vigil.example.org`), for the absolute URLs of TAXII
   * discovery; default the address it listens on. Never taken from a request's Host header. */
  readonly publicUrl?: string;
  /** Once listening, load in the background what the dashboard's first request needs (`vigil serve`;
   * default false, so tests start quiet). */
  readonly warm?: boolean;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Log paths that must never carry a key. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'authorization',
  'key',
  '*.key',
];

/** The Fastify app of `vigil serve`, not yet listening. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const publicUrl = options.publicUrl === undefined ? null : publicBaseUrl(options.publicUrl);
  const logger = pino(
    {
      level: options.log?.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // Method, path and address only: no headers, so no Authorization, ever.
        req: (req: FastifyRequest) => ({ method: req.method, url: req.url, remoteAddress: req.ip }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    options.log?.stream ?? process.stdout,
  );
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A path that is not valid percent-encoding (`/api/v1/incidents/%zz`) fails in the router, before
    // the error handler and the hooks: answer in the API's error shape and cache headers, not Fastify's.
    frameworkErrors: (error, request, reply) => {
      const send = reply as unknown as Pick<FastifyReply, 'header'> & {
        status(code: number): { send(body: unknown): unknown };
      };
      if (isApiPath(request.url)) noStore(send);
      send.status(400).send({ error: { code: 'invalid_url', message: error.message } });
    },
  });
  useStrictBodies(app as unknown as FastifyInstance);
  const service = new Service(options.store);
  app.decorateRequest('principal', null);
  // JSON only: a text/plain body is refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');

  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit?.max ?? 600,
    timeWindow: options.rateLimit?.windowMs ?? 60_000,
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return typeof auth === 'string'
        ? `key:${createHash('sha256').update(auth).digest('hex')}`
        : `ip:${req.ip}`;
    },
    allowList: (req) => req.routeOptions.config.public === true,
    errorResponseBuilder: (_req, context) =>
      new ApiError(429, 'rate_limited', `too many requests: try again in ${context.after}`),
  });
  const authFailures = app.createRateLimit({
    max: options.authFailures?.max ?? 10,
    timeWindow: options.authFailures?.windowMs ?? 15 * 60_000,
    keyGenerator: (req) => `auth-failure:${req.ip}`,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vigil API',
        description:
          'Terrorism incident records with evidence, filtered by TLP 2.0 clearance. Authenticate with `Authorization: Bearer <key>` (`vigil keys create`).',
        version: '1',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // Unknown paths fall through to the 404 handler; public routes need no key.
    if (config.public === true || request.routeOptions.url === undefined) return;
    const limit = await authFailures(request, { increment: false });
    if (!limit.isAllowed && limit.remaining === 0) {
      throw new ApiError(
        429,
        'too_many_auth_failures',
        'too many failed authentications from this address; try later',
      );
    }
    const header = request.headers.authorization;
    if (header === undefined)
      throw new ApiError(401, 'unauthenticated', 'an API key is needed: Authorization: Bearer <key>');
    // TAXII clients may also use HTTP Basic, the key as the password.
    const key = apiKeyOf(header, isTaxiiPath(request.url));
    const principal = key === null ? null : await options.store.access.authenticate(key);
    if (principal === null) {
      await authFailures(request);
      throw new ApiError(401, 'unauthenticated', 'the API key is not valid or was revoked');
    }
    request.principal = principal;
    request.log = request.log.child({ key_id: principal.keyId, org: principal.org, role: principal.role });
    reply.log = request.log;
  });

  app.addHook('preValidation', async (request) => {
    if (isApiPath(request.url)) refuseNul(request);
  });
  // API answers, errors included, carry marked data or depend on the caller's key: no cache, shared or
  // the browser's, may keep them, nor answer one key with what another was given.
  app.addHook('onSend', async (request, reply) => {
    if (isApiPath(request.url)) noStore(reply);
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const { status, code, message } = describeError(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.status(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    });
  });

  app.get('/healthz', { config: { public: true }, schema: { tags: ['health'], security: [] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { public: true }, schema: { tags: ['health'], security: [] } },
    async (_req, reply) => {
      try {
        await options.store.access.ping();
        return { status: 'ready', database: options.store.kind };
      } catch {
        return reply
          .status(503)
          .send({ error: { code: 'not_ready', message: 'the database does not answer' } });
      }
    },
  );

  await app.register(async (api) => registerRoutes(api, service), { prefix: '/api/v1' });
  await registerTaxii(app as unknown as FastifyInstance, {
    service: new TaxiiService(options.store, service.reader, {
      maxContentLength: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    }),
    publicUrl,
  });
  const dashboard = new Dashboard(service);
  if (options.warm) app.addHook('onListen', () => void dashboard.warm());
  await app.register(async (api) => registerDashboardRoutes(api, dashboard), { prefix: '/api/v1' });
  if (options.webRoot) registerStatic(app as unknown as FastifyInstance, options.webRoot);

  // Graceful shutdown: close() stops accepting and waits for requests in flight; a response given
  // while closing ends its keep-alive connection so that close() does not wait for it to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.log.info('shutting down: finishing requests in flight');
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  if (options.closeStore !== false) app.addHook('onClose', async () => options.store.close());
  return app as unknown as FastifyInstance;
}

/** The REST API and the TAXII server: what carries marked data or depends on the caller's key. */
const isApiPath = (url: string) => url.startsWith('/api/') || isTaxiiPath(url);

function noStore(reply: Pick<FastifyReply, 'header'>): void {
  reply.header('cache-control', 'no-store');
  reply.header('vary', 'Authorization');
}

function describeError(error: FastifyError | ApiError): { status: number; code: string; message: string } {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  if (error.validation) return { status: 400, code: 'invalid_request', message: error.message };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: error.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: error.message };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: error.message };
  }
  if (error instanceof SyntaxError) return { status: 400, code: 'invalid_json', message: error.message };
  const status = error.statusCode ?? 500;
  if (status >= 500) return { status: 500, code: 'internal', message: 'internal error' };
  return { status, code: (error.code ?? 'error').toLowerCase(), message: error.message };
}
