import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { dataPath } from '../knowledge/data-path.js';
import { type StixBundle, type StixObject, VIGIL_EXTENSION_ID } from './common.js';
import { extensionSchemaFor } from './extension.js';

/** A problem with one object of a bundle: which object, where in it (JSON pointer), what. */
export interface StixIssue {
  /** The object's id, `bundle` for the envelope, or `objects/<n>` for an object without an id. */
  readonly objectId: string;
  readonly path: string;
  readonly message: string;
}

export interface BundleCheck {
  /** The bundle as it will be read: objects that are ignored left out, tolerated quirks removed. */
  readonly bundle: StixBundle | null;
  /** Problems that make the bundle invalid; none when `bundle` is usable. */
  readonly errors: readonly StixIssue[];
  /** What was tolerated or ignored. */
  readonly warnings: readonly StixIssue[];
}

export interface CheckOptions {
  /**
   * Tolerate what other platforms emit: a top-level `severity` on an incident (OpenCTI) or any other
   * property STIX 2.1 reserves is dropped with a warning instead of failing. Exports are checked strictly.
   */
  readonly lenient?: boolean;
}

const SCHEMA_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
/** Top-level properties STIX 2.1 reserves on SDOs and SROs (common/core.json rejects them). */
const RESERVED = ['severity', 'action', 'username', 'phone_numbers'];
const IDENTIFIER =
  /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const COMMON_TYPES = ['marking-definition', 'language-content', 'extension-definition'];

let validators: ReadonlyMap<string, ValidateFunction> | undefined;

/** A validator per object type, from the OASIS schemas shipped in `data/stix2-json-schemas`. */
function loadValidators(): ReadonlyMap<string, ValidateFunction> {
  if (validators !== undefined) return validators;
  const root = dataPath('stix2-json-schemas/schemas');
  const ajv = new Ajv2020({ unicodeRegExp: false, strictTypes: false, allErrors: true, logger: false });
  // ajv-formats is CommonJS: its ESM default is the plugin itself, typed as the module.
  const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
    a: Ajv2020,
  ) => void;
  addFormats(ajv);
  ajv.addFormat('idn-hostname', true);
  const files = schemaFiles(root);
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
  const map = new Map<string, ValidateFunction>();
  for (const file of files) {
    const path = relative(root, file).split('\\').join('/');
    const [dir, name] = path.split('/');
    const type = name?.replace(/\.json$/, '');
    if (type === undefined) continue;
    if (dir === 'common' && !COMMON_TYPES.includes(type)) continue;
    const validate = ajv.getSchema(`${SCHEMA_BASE}${path}`);
    if (validate !== undefined) map.set(type, validate);
  }
  validators = map;
  return map;
}

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return schemaFiles(path);
      return entry.name.endsWith('.json') ? [path] : [];
    });
}

/** Whether Vigil knows a schema for this object type. */
export function hasSchema(type: string): boolean {
  return loadValidators().has(type);
}

/** Checks one object against its type's OASIS schema and Vigil's extension, if it carries it. */
export function checkObject(object: StixObject): StixIssue[] {
  const issues: StixIssue[] = [];
  const validate = loadValidators().get(object.type);
  if (validate !== undefined && !validate(object)) {
    issues.push(...describeErrors(object, validate.errors ?? []));
  }
  const extensions = object.extensions as Record<string, unknown> | undefined;
  const schema = extensionSchemaFor(object.type);
  const extension = isRecord(extensions) ? extensions[VIGIL_EXTENSION_ID] : undefined;
  if (schema !== undefined && extension !== undefined) {
    const result = schema.safeParse(extension);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({
          objectId: object.id,
          path: pointer(['extensions', VIGIL_EXTENSION_ID, ...issue.path.map(String)]),
          message: issue.message,
        });
      }
    }
  }
  return issues;
}

/**
 * Checks a parsed bundle: the envelope, then every object against its own type's schema (the
 * OASIS bundle schema alone rejects valid locations and incidents). Custom `x-` objects and types
 * without a schema are left out with a warning.
 */
export function checkBundle(value: unknown, options: CheckOptions = {}): BundleCheck {
  const errors: StixIssue[] = [];
  const warnings: StixIssue[] = [];
  const envelope = (path: string, message: string) => errors.push({ objectId: 'bundle', path, message });
  if (!isRecord(value)) {
    envelope('/', 'a STIX bundle must be a JSON object');
    return { bundle: null, errors, warnings };
  }
  if (value.type !== 'bundle') envelope('/type', `must be "bundle", not ${JSON.stringify(value.type)}`);
  if (typeof value.id !== 'string' || !IDENTIFIER.test(value.id) || !value.id.startsWith('bundle--')) {
    envelope('/id', 'must be "bundle--" followed by a UUID');
  }
  const raw = value.objects ?? [];
  if (!Array.isArray(raw)) envelope('/objects', 'must be an array of STIX objects');
  const objects: StixObject[] = [];
  for (const [n, item] of (Array.isArray(raw) ? raw : []).entries()) {
    if (!isRecord(item) || typeof item.type !== 'string' || typeof item.id !== 'string') {
      errors.push({
        objectId: `objects/${n}`,
        path: '/',
        message: 'must be an object with a type and an id',
      });
      continue;
    }
    let object = item as StixObject;
    if (!hasSchema(object.type)) {
      const custom = object.type.startsWith('x-');
      warnings.push({
        objectId: object.id,
        path: '/type',
        message: custom ? 'custom object ignored' : `no schema for type ${object.type}: object ignored`,
      });
      continue;
    }
    const reserved = RESERVED.filter((p) => p in object && object.type !== 'user-account');
    if (reserved.length > 0 && options.lenient) {
      const kept: Record<string, unknown> = { ...object };
      for (const p of reserved) {
        delete kept[p];
        warnings.push({
          objectId: object.id,
          path: `/${p}`,
          message: `top-level ${p} ignored: STIX 2.1 reserves it (OpenCTI puts it there)`,
        });
      }
      object = kept as StixObject;
    }
    const issues = checkObject(object);
    errors.push(...issues);
    objects.push(object);
  }
  if (errors.length > 0) return { bundle: null, errors, warnings };
  return { bundle: { type: 'bundle', id: value.id as string, objects }, errors, warnings };
}

function describeErrors(object: StixObject, errors: readonly ErrorObject[]): StixIssue[] {
  const reserved = RESERVED.filter((p) => p in object);
  const seen = new Set<string>();
  const issues: StixIssue[] = [];
  // A failing anyOf/oneOf branch ("must be string", "must be integer", ...) says nothing new where
  // something outside the branches already failed at the same place.
  const inBranch = (e: ErrorObject) => /\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath);
  const plain = new Set(
    errors.filter((e) => !inBranch(e) && !['anyOf', 'oneOf'].includes(e.keyword)).map((e) => e.instancePath),
  );
  for (const e of errors) {
    if (inBranch(e) && plain.has(e.instancePath)) continue;
    // The branches of anyOf/oneOf repeat what their failing members said.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    let message = e.message ?? 'is invalid';
    let path = e.instancePath || '/';
    if (e.keyword === 'not' && e.instancePath === '' && reserved.length > 0) {
      message = `uses ${reserved.join(', ')}, reserved by STIX 2.1 (not allowed at the top level)`;
      path = `/${reserved[0]}`;
    } else if (e.keyword === 'additionalProperties') {
      message = `${message}: ${String((e.params as { additionalProperty?: unknown }).additionalProperty)}`;
    } else if (e.keyword === 'enum') {
      message = `${message}: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`;
    }
    const key = `${path}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ objectId: object.id, path, message });
  }
  if (issues.length === 0)
    issues.push({ objectId: object.id, path: '/', message: 'does not match its schema' });
  return issues;
}

function pointer(parts: readonly string[]): string {
  return `/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
