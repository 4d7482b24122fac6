import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ATTACK_TYPES } from '../extract/types.js';
import type { MarkingLevel, Principal } from '../store/index.js';
import { contentDisposition } from './content-disposition.js';
import { type Dashboard, MAX_MAP_CAP } from './dashboard.js';
import { ApiError } from './errors.js';

/* The routes under /api/v1 that the web dashboard reads (and the analysts' merge, split and URL
 * ingest). Like routes.ts, each one takes the caller from the request and calls the service layer. */

const TLP = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const DAY = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const filterProperties = {
  country: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' },
  group: { type: 'string', maxLength: 200, description: 'group id, name or alias' },
  since: { ...DAY, description: 'dated on or after (YYYY-MM-DD)' },
  until: { ...DAY, description: 'dated on or before (YYYY-MM-DD)' },
  attack_type: { type: 'string', enum: [...ATTACK_TYPES] },
  q: { type: 'string', maxLength: 500, description: 'words (full-text search, as GET /incidents)' },
} as const;
const query = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties: { ...filterProperties, ...extra },
});
const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
const reason = { type: 'string', minLength: 1, maxLength: 2000 } as const;

type Filters = {
  country?: string;
  group?: string;
  since?: string;
  until?: string;
  attack_type?: string;
  q?: string;
};

function caller(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError(401, 'unauthenticated', 'an API key is needed');
  return request.principal;
}

export async function registerDashboardRoutes(api: FastifyInstance, dashboard: Dashboard): Promise<void> {
  const tags = ['dashboard'];
  api.get(
    '/overview',
    {
      schema: {
        tags,
        summary: 'Counts, latest incidents and alerts, highest threat levels (of what the caller sees)',
      },
    },
    async (req) => dashboard.overview(caller(req)),
  );

  api.get(
    '/brief',
    {
      schema: {
        tags,
        summary:
          'A situation report on a group, a country or everything, over what the caller sees, every statement footnoted',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            group: filterProperties.group,
            country: filterProperties.country,
            since: filterProperties.since,
            period: { type: 'string', enum: ['year', 'month'] },
            format: { type: 'string', enum: ['md', 'html'], default: 'html' },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query as {
        group?: string;
        country?: string;
        since?: string;
        period?: 'year' | 'month';
        format: 'md' | 'html';
      };
      const brief = await dashboard.brief(caller(req), q);
      return (
        reply
          .type(brief.type)
          .header('content-disposition', contentDisposition('inline', brief.filename))
          // The brief is self-contained: no script, no fetch; a stray one in a document could do nothing.
          .header('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
          .send(brief.body)
      );
    },
  );

  api.get(
    '/map',
    {
      schema: {
        tags,
        summary: 'Points of the incidents in the filter with coordinates, newest first, capped',
        querystring: query({ limit: { type: 'integer', minimum: 1, maximum: MAX_MAP_CAP } }),
      },
    },
    async (req) => dashboard.mapPoints(caller(req), req.query as Filters & { limit?: number }),
  );

  api.get(
    '/timeline',
    {
      schema: {
        tags,
        summary: 'Incidents, killed and wounded per month or year, in total or by group or country',
        querystring: query({
          by: { type: 'string', enum: ['none', 'group', 'country'] },
          interval: { type: 'string', enum: ['month', 'year'] },
        }),
      },
    },
    async (req) => dashboard.timeline(caller(req), req.query as Filters & { by?: string; interval?: string }),
  );

  for (const format of ['csv', 'geojson'] as const) {
    api.get(
      `/export/incidents.${format}`,
      {
        schema: {
          tags,
          summary:
            format === 'csv'
              ? 'The incidents in the filter as CSV with GTD column names (X-Vigil-Truncated when over 100,000)'
              : 'The incidents in the filter as a GeoJSON FeatureCollection',
          querystring: query(),
        },
      },
      async (req, reply) => {
        const out = await dashboard.export(caller(req), format, req.query as Filters);
        reply.header('content-disposition', contentDisposition('attachment', `vigil-incidents.${format}`));
        reply.header('x-vigil-count', String(out.count));
        if (out.truncated) reply.header('x-vigil-truncated', 'true');
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json')
          .send(out.body);
      },
    );
  }

  api.get(
    '/incidents/:id/reports',
    {
      schema: {
        tags,
        summary: 'The reports an incident was merged from (the sources the caller sees), oldest first',
        params: idParam,
      },
    },
    async (req) => dashboard.reports(caller(req), (req.params as { id: string }).id),
  );

  api.post(
    '/incidents/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge another incident into this one, for good (analyst)',
        params: idParam,
        body: {
          type: 'object',
          required: ['other', 'reason'],
          additionalProperties: false,
          properties: { other: { type: 'string', minLength: 1, maxLength: 200 }, reason },
        },
      },
    },
    async (req) => {
      const body = req.body as { other: string; reason: string };
      return dashboard.mergeIncidents(
        caller(req),
        (req.params as { id: string }).id,
        body.other,
        body.reason,
      );
    },
  );

  api.post(
    '/incidents/:id/split',
    {
      schema: {
        tags,
        summary: "Take one source's report out of the incident, for good (analyst)",
        params: idParam,
        body: {
          type: 'object',
          required: ['document', 'reason'],
          additionalProperties: false,
          properties: { document: { type: 'string', pattern: '^[0-9a-f]{64}$' }, reason },
        },
      },
    },
    async (req) => {
      const body = req.body as { document: string; reason: string };
      return dashboard.splitIncident(
        caller(req),
        (req.params as { id: string }).id,
        body.document,
        body.reason,
      );
    },
  );

  api.get(
    '/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts raised by the incidents the caller sees, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            group: filterProperties.group,
            country: filterProperties.country,
            severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => dashboard.alerts(caller(req), req.query as Record<string, never>),
  );

  api.get(
    '/threat',
    {
      schema: { tags, summary: 'Threat levels of groups and countries, over the incidents the caller sees' },
    },
    async (req) => dashboard.threat(caller(req)),
  );

  api.get(
    '/groups/:id/profile',
    {
      schema: {
        tags,
        summary: 'A group: aliases, hierarchy, relations, activity, threat level and alerts',
        params: idParam,
      },
    },
    async (req) => dashboard.groupProfile(caller(req), (req.params as { id: string }).id),
  );

  api.get(
    '/graph',
    {
      schema: {
        tags,
        summary: 'The relations graph: groups, countries and media arms',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { group: filterProperties.group },
        },
      },
    },
    async (req) => dashboard.graph(caller(req), (req.query as { group?: string }).group),
  );

  api.post(
    '/documents/fetch',
    {
      schema: {
        tags,
        summary: 'Fetch a page or feed (public addresses only) and ingest it (analyst)',
        body: {
          type: 'object',
          required: ['url'],
          additionalProperties: false,
          properties: {
            url: { type: 'string', minLength: 8, maxLength: 2000 },
            tlp: { type: 'string', enum: TLP },
            published: { ...DAY },
          },
        },
      },
    },
    async (req) =>
      dashboard.ingestUrl(caller(req), req.body as { url: string; tlp?: MarkingLevel; published?: string }),
  );
}
