import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import type { Document } from '../../src/sources/index.js';
import { documentId, normaliseText } from '../../src/sources/normalise.js';

export const FOUNDING = fileURLToPath(
  new URL('../../../shared/examples/moscow-concert-hall.txt', import.meta.url),
);
export const SHARED_SCHEMAS = fileURLToPath(
  new URL('../../../shared/stix2-json-schemas/schemas', import.meta.url),
);
export const OPENCTI_BUNDLE = fileURLToPath(new URL('./fixtures/opencti-bundle.json', import.meta.url));

/** The founding article as a document, and its incidents as `vigil ingest` makes them. */
export function foundingIncidents(): { document: Document; incidents: Incident[] } {
  const text = normaliseText(readFileSync(FOUNDING, 'utf8'));
  const document: Document = {
    id: documentId(text),
    text,
    title: null,
    url: 'https://news.example.org/moscow-concert-hall',
    outlet: 'Example News',
    published: '2024-03-25',
    language: 'eng',
    origin: FOUNDING,
  };
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  return { document, incidents: incidentsOf(document, groups) };
}

const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** A validator per object type from a schema folder other than the product's (../shared). */
export function schemaValidators(root: string): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ unicodeRegExp: false, strictTypes: false, allErrors: true, logger: false });
  const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
    a: Ajv2020,
  ) => void;
  addFormats(ajv);
  ajv.addFormat('idn-hostname', true);
  const files = (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
    );
  })(root);
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
  const validators = new Map<string, ValidateFunction>();
  for (const file of files) {
    const path = relative(root, file).split('\\').join('/');
    const type = path.split('/')[1]?.replace(/\.json$/, '') ?? '';
    if (path.startsWith('common/') && !['marking-definition', 'extension-definition'].includes(type))
      continue;
    const validate = ajv.getSchema(`${BASE}${path}`);
    if (validate) validators.set(type, validate);
  }
  return validators;
}
