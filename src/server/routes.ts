import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MarkingLevel, Principal, Role } from '../store/index.js';
import { ApiError } from './errors.js';
import { type IncidentListQuery, type IngestRequest, MAX_PAGE, type Service } from './service.js';

/* The REST routes under /api/v1. Each one reads the caller from the request and calls the service;
 * none reads the store itself. */

const TLP = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const ROLES = ['viewer', 'analyst', 'admin'];
const ATTACK_TYPES = [
  'assassination',
  'armed_assault',
  'bombing_explosion',
  'hijacking',
  'hostage_barricade',
  'hostage_kidnapping',
  'facility_infrastructure',
  'unarmed_assault',
  'unknown',
];
const DAY = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' } as const;
const page = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, description: 'page size (default 50)' },
  cursor: { type: 'string', maxLength: 2000, description: 'next_cursor of the previous page' },
} as const;
const incidentFilters = {
  type: 'object',
  additionalProperties: false,
  properties: {
    country: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' },
    group: { type: 'string', maxLength: 200, description: 'group id, name or alias' },
    since: { ...DAY, description: 'dated on or after (YYYY-MM-DD)' },
    until: { ...DAY, description: 'dated on or before (YYYY-MM-DD)' },
    attack_type: { type: 'string', enum: ATTACK_TYPES },
    q: {
      type: 'string',
      maxLength: 500,
      description:
        'words that must all occur in one evidence sentence or in the target and perpetrator text (full-text index)',
    },
    sort: {
      type: 'string',
      enum: ['date', 'killed', 'wounded', 'country', 'group'],
      description:
        'sort key (default date): date, killed or wounded (the count, or its lower bound), country (ISO code) or group (the first perpetrator group); incidents without it come last',
    },
    order: { type: 'string', enum: ['asc', 'desc'], description: 'sort direction (default desc)' },
    ...page,
  },
} as const;
const idParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', minLength: 1, maxLength: 200 } },
  }) as const;

function caller(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError(401, 'unauthenticated', 'an API key is needed');
  return request.principal;
}

export async function registerRoutes(api: FastifyInstance, service: Service): Promise<void> {
  api.get(
    '/me',
    { schema: { tags: ['access'], summary: 'The caller: organisation, user and role' } },
    async (req) => service.me(caller(req)),
  );

  api.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary:
          'Incidents the caller may see, newest first (or as sort and order say), filtered and paginated',
        querystring: incidentFilters,
      },
    },
    async (req) => service.listIncidents(caller(req), req.query as IncidentListQuery),
  );

  api.get(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident with its evidence (full id or unique prefix)',
        params: idParam('id'),
      },
    },
    async (req) => service.getIncident(caller(req), (req.params as { id: string }).id),
  );

  api.get(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Documents the caller is cleared for (metadata), newest first',
        querystring: { type: 'object', additionalProperties: false, properties: page },
      },
    },
    async (req) => service.listDocuments(caller(req), req.query as { limit?: number; cursor?: string }),
  );

  api.get(
    '/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'A document the caller is cleared for: metadata, text and its incidents',
        params: idParam('id'),
      },
    },
    async (req) => service.getDocument(caller(req), (req.params as { id: string }).id),
  );

  api.post(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: "Ingest an article (analyst): stored under the caller's organisation with its TLP marking",
        body: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: {
            text: { type: 'string', minLength: 1 },
            title: { type: 'string', maxLength: 1000 },
            url: { type: 'string', maxLength: 2000 },
            published: { type: 'string', maxLength: 40, description: 'YYYY-MM-DD or ISO 8601 date-time' },
            tlp: { type: 'string', enum: TLP, description: 'default amber' },
            recipients: {
              type: 'array',
              maxItems: 100,
              items: { type: 'string', maxLength: 130 },
              description: 'TLP:RED only: users (org/name) who may read it',
            },
          },
        },
      },
    },
    async (req, reply) => {
      const result = await service.ingest(caller(req), req.body as IngestRequest);
      return reply.status(result.status === 'stored' ? 201 : 200).send(result);
    },
  );

  api.put(
    '/documents/:id/marking',
    {
      schema: {
        tags: ['documents'],
        summary:
          "Raise the marking of a document the caller's organisation holds (analyst): never lowered or widened",
        params: idParam('id'),
        body: {
          type: 'object',
          required: ['tlp'],
          additionalProperties: false,
          properties: {
            tlp: { type: 'string', enum: TLP },
            recipients: {
              type: 'array',
              maxItems: 100,
              items: { type: 'string', maxLength: 130 },
              description: 'TLP:RED only: users (org/name) who may read it',
            },
          },
        },
      },
    },
    async (req) =>
      service.markDocument(
        caller(req),
        (req.params as { id: string }).id,
        req.body as { tlp: MarkingLevel; recipients?: string[] },
      ),
  );

  api.get(
    '/groups',
    { schema: { tags: ['groups'], summary: 'Armed groups of the knowledge base' } },
    async (req) => service.listGroups(caller(req)),
  );

  api.get(
    '/groups/discovered',
    {
      schema: {
        tags: ['groups'],
        summary: 'Groups found in the incidents the caller sees that the knowledge base does not know',
      },
    },
    async (req) => service.discoveredGroups(caller(req)),
  );

  const decisionBody = (extra: Record<string, unknown>, required: string[]) => ({
    type: 'object',
    required: ['reason', ...required],
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 }, ...extra },
  });
  api.post(
    '/groups/discovered/:id/merge',
    {
      schema: {
        tags: ['groups'],
        summary: 'Merge a discovered group into a known one (analyst)',
        params: idParam('id'),
        body: decisionBody({ into: { type: 'string', minLength: 1, maxLength: 200 } }, ['into']),
      },
    },
    async (req) => {
      const body = req.body as { into: string; reason: string };
      return service.decideGroup(caller(req), (req.params as { id: string }).id, { kind: 'merge', ...body });
    },
  );
  api.post(
    '/groups/discovered/:id/promote',
    {
      schema: {
        tags: ['groups'],
        summary: 'Promote a discovered group to a group of its own (analyst)',
        params: idParam('id'),
        body: decisionBody({ name: { type: 'string', minLength: 1, maxLength: 200 } }, ['name']),
      },
    },
    async (req) => {
      const body = req.body as { name: string; reason: string };
      return service.decideGroup(caller(req), (req.params as { id: string }).id, {
        kind: 'promote',
        ...body,
      });
    },
  );
  api.post(
    '/groups/discovered/:id/unmerge',
    {
      schema: {
        tags: ['groups'],
        summary: 'Undo the merge or promotion in force (analyst)',
        params: idParam('id'),
      },
    },
    async (req) => service.undoGroupDecision(caller(req), (req.params as { id: string }).id),
  );

  api.get(
    '/stix',
    {
      schema: {
        tags: ['incidents'],
        summary: 'The incidents the caller sees as a STIX 2.1 bundle, each with its TLP 2.0 marking',
        querystring: incidentFilters,
      },
    },
    async (req, reply) => {
      const { body, next_cursor } = await service.stixBundle(caller(req), req.query as IncidentListQuery);
      if (next_cursor !== null) reply.header('x-next-cursor', next_cursor);
      return reply.type('application/stix+json;version=2.1').send(body);
    },
  );

  // Administration (admin role, the caller's own organisation).
  api.get('/orgs', { schema: { tags: ['admin'], summary: 'Organisations (admin)' } }, async (req) =>
    service.listOrgs(caller(req)),
  );
  api.post(
    '/orgs',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add an organisation (admin)',
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: NAME } },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.addOrg(caller(req), (req.body as { name: string }).name)),
  );
  api.put(
    '/orgs/:org/shares/:with',
    {
      schema: {
        tags: ['admin'],
        summary: "Share the caller's organisation's TLP:AMBER with another organisation (admin)",
        params: { type: 'object', required: ['org', 'with'], properties: { org: NAME, with: NAME } },
      },
    },
    async (req) => {
      const { org, with: withOrg } = req.params as { org: string; with: string };
      return service.share(caller(req), org, withOrg, true);
    },
  );
  api.delete(
    '/orgs/:org/shares/:with',
    {
      schema: {
        tags: ['admin'],
        summary: 'Stop sharing TLP:AMBER with an organisation (admin)',
        params: { type: 'object', required: ['org', 'with'], properties: { org: NAME, with: NAME } },
      },
    },
    async (req) => {
      const { org, with: withOrg } = req.params as { org: string; with: string };
      return service.share(caller(req), org, withOrg, false);
    },
  );
  api.get(
    '/keys',
    { schema: { tags: ['admin'], summary: "Keys of the caller's organisation (admin)" } },
    async (req) => service.listKeys(caller(req)),
  );
  api.post(
    '/keys',
    {
      schema: {
        tags: ['admin'],
        summary: "Create a key for the caller's organisation; the key is in this response only (admin)",
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: { type: 'string', enum: ROLES }, user: NAME },
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createKey(caller(req), req.body as { role: Role; user?: string })),
  );
  api.delete(
    '/keys/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a key of the caller’s organisation (admin)',
        params: idParam('id'),
      },
    },
    async (req) => service.revokeKey(caller(req), (req.params as { id: string }).id),
  );
}
