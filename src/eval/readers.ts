/**
 * Readers for the MUC-4 JSON Lines files: GTT (`docid`, `doctext`, `templates`) and GRIT (`docid`,
 * `doctext`, `extracts`). Files are streamed line by line; a bad line is an error naming `file:LINE`
 * and its problem, and the other lines are still read. A `doctext` over the size limit is cut to it,
 * with a warning naming the line.
 */
import { isIsoDate, numberedLines } from '../sources/index.js';
import { MUC4_ROLES, type Muc4Entity, type Muc4Role, type Muc4Roles, type Muc4Template } from './types.js';

/** Default largest `doctext` kept: 1 MB (MUC-4 texts are a few KB). */
export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

/** A problem with a file (`where` = the path) or one of its lines (`where` = `path:LINE`). */
export interface ReadProblem {
  readonly where: string;
  readonly problem: string;
}

export type LineResult<T> =
  | { readonly ok: true; readonly document: T; readonly warnings: readonly ReadProblem[] }
  | { readonly ok: false; readonly error: ReadProblem };

export interface Muc4ReadOptions {
  /** Largest `doctext` in UTF-8 bytes; longer texts are truncated with a warning. */
  readonly maxTextBytes?: number;
}

export interface GttDocument {
  readonly docid: string;
  readonly doctext: string;
  /** The line's own `published` date (an extension; MUC-4 files have none), else null. */
  readonly published: string | null;
  /** The gold templates, or null when the line has no `templates` (documents to extract only). */
  readonly templates: readonly Muc4Template[] | null;
  /** `path:LINE`. */
  readonly origin: string;
}

export interface GritDocument {
  readonly docid: string;
  readonly doctext: string;
  readonly extracts: Muc4Roles;
  readonly origin: string;
}

class LineError extends Error {}

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function docidOf(line: Obj): string {
  const { docid } = line;
  if (docid === undefined) throw new LineError('docid: missing');
  if (typeof docid === 'number' && Number.isFinite(docid)) return String(docid);
  if (typeof docid !== 'string' || docid.trim() === '')
    throw new LineError('docid: must be a non-empty string');
  return docid;
}

function doctextOf(line: Obj, maxBytes: number, origin: string, warnings: ReadProblem[]): string {
  const { doctext } = line;
  if (doctext === undefined || doctext === null) throw new LineError('doctext: missing');
  if (typeof doctext !== 'string') throw new LineError('doctext: must be a string');
  if (doctext.trim() === '') throw new LineError('doctext: must not be empty');
  const size = Buffer.byteLength(doctext, 'utf8');
  if (size <= maxBytes) return doctext;
  // Cut at a character boundary: a multi-byte character split at the limit decodes to U+FFFD, dropped.
  const cut = Buffer.from(doctext, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  warnings.push({
    where: origin,
    problem: `doctext is ${size} bytes, over the limit of ${maxBytes} bytes: truncated to its first ${Buffer.byteLength(cut, 'utf8')} bytes`,
  });
  return cut;
}

function publishedOf(line: Obj): string | null {
  const { published } = line;
  if (published === undefined || published === null) return null;
  if (typeof published !== 'string' || !isIsoDate(published.trim()))
    throw new LineError('published: must be a date (YYYY-MM-DD or ISO date-time)');
  return published.trim();
}

/** A mention is a string or, as in the gold files, `[string, char_offset]`. */
function mentionOf(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  throw new LineError(`${path}: a mention must be a string or [string, offset]`);
}

/** A role's entities; a missing role is empty. */
function entitiesOf(value: unknown, path: string): Muc4Entity[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new LineError(`${path}: must be a list of entities`);
  return value.map((entity, i) => {
    if (!Array.isArray(entity)) throw new LineError(`${path}[${i}]: an entity must be a list of mentions`);
    return entity.map((m, k) => mentionOf(m, `${path}[${i}][${k}]`));
  });
}

function rolesOf(value: Obj, path: string): Muc4Roles {
  const out = {} as Record<Muc4Role, Muc4Entity[]>;
  for (const role of MUC4_ROLES) out[role] = entitiesOf(value[role], path === '' ? role : `${path}.${role}`);
  return out;
}

function templatesOf(line: Obj): Muc4Template[] | null {
  const { templates } = line;
  if (templates === undefined || templates === null) return null;
  if (!Array.isArray(templates)) throw new LineError('templates: must be a list');
  return templates.map((t, i) => {
    const path = `templates[${i}]`;
    if (!isObject(t)) throw new LineError(`${path}: must be an object`);
    if (typeof t.incident_type !== 'string' || t.incident_type.trim() === '')
      throw new LineError(`${path}.incident_type: must be a non-empty string`);
    return { incident_type: t.incident_type, ...rolesOf(t, path) };
  });
}

async function* readLines<T extends { readonly docid: string }>(
  path: string,
  parse: (line: Obj, origin: string, warnings: ReadProblem[]) => T,
): AsyncGenerator<LineResult<T>> {
  const seen = new Map<string, string>();
  for await (const item of numberedLines(path)) {
    if ('error' in item) {
      yield { ok: false, error: { where: path, problem: item.error } };
      return;
    }
    const origin = `${path}:${item.n}`;
    const fail = (problem: string): LineResult<T> => ({ ok: false, error: { where: origin, problem } });
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (error) {
      yield fail(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!isObject(value)) {
      yield fail('must be a JSON object');
      continue;
    }
    const warnings: ReadProblem[] = [];
    let document: T;
    try {
      document = parse(value, origin, warnings);
    } catch (error) {
      if (error instanceof LineError) {
        yield fail(error.message);
        continue;
      }
      throw error;
    }
    const first = seen.get(document.docid);
    if (first !== undefined) {
      yield fail(`docid ${document.docid} was already read at ${first}`);
      continue;
    }
    seen.set(document.docid, origin);
    yield { ok: true, document, warnings };
  }
}

/** The documents of a GTT-format file (`docid`, `doctext`, optional `templates` and `published`). */
export function readGttLines(
  path: string,
  options: Muc4ReadOptions = {},
): AsyncGenerator<LineResult<GttDocument>> {
  const max = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  return readLines(path, (line, origin, warnings) => ({
    docid: docidOf(line),
    doctext: doctextOf(line, max, origin, warnings),
    published: publishedOf(line),
    templates: templatesOf(line),
    origin,
  }));
}

/** The documents of a GRIT-format file (`docid`, `doctext`, `extracts`). */
export function readGritLines(
  path: string,
  options: Muc4ReadOptions = {},
): AsyncGenerator<LineResult<GritDocument>> {
  const max = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  return readLines(path, (line, origin, warnings) => {
    const docid = docidOf(line);
    const doctext = doctextOf(line, max, origin, warnings);
    const { extracts } = line;
    if (extracts === undefined || extracts === null) throw new LineError('extracts: missing');
    if (!isObject(extracts)) throw new LineError('extracts: must be an object of roles');
    return { docid, doctext, extracts: rolesOf(extracts, 'extracts'), origin };
  });
}

export interface ReadAll<T> {
  readonly documents: T[];
  readonly errors: ReadProblem[];
  readonly warnings: ReadProblem[];
}

/** Every result of a reader, sorted into documents, errors and warnings. */
export async function readAll<T>(results: AsyncIterable<LineResult<T>>): Promise<ReadAll<T>> {
  const out: ReadAll<T> = { documents: [], errors: [], warnings: [] };
  for await (const r of results) {
    if (r.ok) {
      out.documents.push(r.document);
      out.warnings.push(...r.warnings);
    } else out.errors.push(r.error);
  }
  return out;
}
