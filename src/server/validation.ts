import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';

/* Request validation. JSON bodies are strict: an unknown property or a value of the wrong type is a
 * 400 naming it, never dropped or converted behind the caller's back (Fastify's defaults removed
 * `"bogus": 1` and turned `"title": 123` into "123"). Query strings and path parameters arrive as
 * text, so they keep Fastify's coercion (`limit=5` is the number 5) and its defaults. */

/** Fastify's own Ajv options (@fastify/ajv-compiler), for the parts that are text on the wire. */
const TEXT_PARTS: Options = {
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
  addUsedSchema: false,
  // More than one error per request would let a crafted body make the server work much harder.
  allErrors: false,
};

const BODY: Options = {
  ...TEXT_PARTS,
  coerceTypes: false,
  removeAdditional: false,
  // The failing schema is kept with the error, so an unknown property's message lists the known ones.
  verbose: true,
};

function ajvWithFormats(options: Options): Ajv {
  const ajv = new Ajv(options);
  // ajv-formats is CommonJS: its ESM default is the plugin itself, typed as the module.
  const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
    a: Ajv,
  ) => void;
  addFormats(ajv);
  return ajv;
}

/** Validates bodies strictly and other parts as Fastify would, and words errors with the property. */
export function useStrictBodies(app: FastifyInstance): void {
  const body = ajvWithFormats(BODY);
  const text = ajvWithFormats(TEXT_PARTS);
  app.setValidatorCompiler(({ schema, method, url, httpPart }) => {
    if (httpPart !== 'body') return text.compile(schema as object);
    assertClosed(schema, `the body schema of ${method} ${url}`);
    return body.compile(schema as object);
  });
  app.setSchemaErrorFormatter((errors, dataVar) => new Error(describeErrors(errors, dataVar)));
}

/** Refuses, at start-up, a body schema whose objects would let unknown properties through. */
function assertClosed(schema: unknown, where: string): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as {
    type?: unknown;
    additionalProperties?: unknown;
    properties?: unknown;
    items?: unknown;
  };
  if (s.type === 'object' && s.additionalProperties !== false)
    throw new Error(`${where} must set additionalProperties: false (request bodies are strict)`);
  for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
    assertClosed(property, `${where}, property ${name},`);
  assertClosed(s.items, `${where}, items,`);
}

/** The part of a request that failed validation. */
type Part = 'body' | 'headers' | 'params' | 'querystring';

/** `body.recipients[0] must be string`, `body has unknown property bogus (known: text, title)`. */
function describeErrors(errors: readonly FastifySchemaValidationError[], dataVar: Part) {
  return errors.map((e) => describeError(e, dataVar)).join('; ');
}

function describeError(error: FastifySchemaValidationError, dataVar: Part): string {
  const where = `${dataVar}${pathOf(error.instancePath)}`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const known = Object.keys(
        (error as { parentSchema?: { properties?: object } }).parentSchema?.properties ?? {},
      );
      const list = known.length === 0 ? 'none' : known.join(', ');
      return `${where} has unknown property ${String(error.params.additionalProperty)} (known: ${list})`;
    }
    case 'enum':
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

/** A JSON Pointer as a property path: `/recipients/0` → `.recipients[0]`. */
function pathOf(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}
