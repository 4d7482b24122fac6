import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { dataPath } from './data-path.js';

const RELATION_TYPES = ['offshoot-of', 'affiliate-of', 'faction-of', 'successor-of', 'rival-of'] as const;

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code');

export const armedGroupSchema = z
  .object({
    /** Stable slug, e.g. `iskp`. */
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(2),
    aliases: z.array(z.string().min(2)),
    ideology: z.enum(['jihadist', 'ethno-nationalist', 'separatist', 'left-wing', 'right-wing', 'other']),
    /** Group this one split from or belongs to (offshoot-of / faction-of). */
    parent: z.string().nullable(),
    relations: z.array(z.object({ type: z.enum(RELATION_TYPES), group: z.string() })),
    /** Opponents that are not groups in the knowledge base (governments, forces). */
    adversaries: z.array(z.string()),
    media_arms: z.array(z.string()),
    home_countries: z.array(countryCode).min(1),
    active_from: z.number().int().min(1900).nullable(),
    active_to: z.number().int().min(1900).nullable(),
    designations: z.array(
      z
        .object({
          /** Designating authority: ISO country code, `EU` or `UN`. */
          by: z.string(),
          list: z.string(),
          since: z.number().int().nullable(),
          /** Who keeps the list, for an analyst to check the designation, e.g. "US State Department,
           * Foreign Terrorist Organizations list". Every designation in `data/groups.json` has one;
           * optional so that records stored before it was added still read. */
          source: z.string().min(1).optional(),
        })
        .strict(),
    ),
    recruitment_audiences: z.array(z.string()).optional(),
  })
  .strict();

export type ArmedGroup = z.infer<typeof armedGroupSchema>;

export const groupsFileSchema = z.array(armedGroupSchema).superRefine((groups, ctx) => {
  const ids = new Set(groups.map((g) => g.id));
  if (ids.size !== groups.length) ctx.addIssue({ code: 'custom', message: 'duplicate group id' });
  for (const g of groups) {
    for (const ref of [g.parent, ...g.relations.map((r) => r.group)]) {
      if (ref !== null && !ids.has(ref)) {
        ctx.addIssue({ code: 'custom', message: `${g.id} refers to unknown group ${ref}` });
      }
    }
  }
});

/** A user knowledge-base file as read: where it is and a hash of its bytes. */
export interface KnowledgeBaseFile {
  readonly path: string;
  readonly sha256: string;
}

/** The knowledge base in effect: the shipped groups with the user files' additions and overrides. */
export interface KnowledgeBase {
  readonly groups: readonly ArmedGroup[];
  /** sha256 of the effective groups (not of the files): the same knowledge gives the same version. */
  readonly version: string;
  /** User files applied on top of `data/groups.json`, in order; empty for the shipped knowledge base. */
  readonly files: readonly KnowledgeBaseFile[];
}

/** A user knowledge-base file refused as a whole; each problem names the file, the entry and the field. */
export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const n = problems.length;
    super(`knowledge base refused (${n} problem${n === 1 ? '' : 's'}):\n${problems.join('\n')}`);
    this.problems = problems;
  }
}

const versionOf = (groups: readonly ArmedGroup[]) =>
  createHash('sha256').update(JSON.stringify(groups)).digest('hex');

let shipped: KnowledgeBase | undefined;
let active: KnowledgeBase | undefined;

function shippedKnowledgeBase(): KnowledgeBase {
  if (!shipped) {
    const groups = Object.freeze(
      groupsFileSchema.parse(JSON.parse(readFileSync(dataPath('groups.json'), 'utf8'))),
    );
    shipped = Object.freeze({ groups, version: versionOf(groups), files: Object.freeze([]) });
  }
  return shipped;
}

/** The armed groups in effect: those of `data/groups.json`, validated once per process, with the
 * user files of the last `useKnowledgeBase` applied. */
export function loadGroups(): readonly ArmedGroup[] {
  return knowledgeBase().groups;
}

/** The knowledge base in effect, with its version stamp. */
export function knowledgeBase(): KnowledgeBase {
  return active ?? shippedKnowledgeBase();
}

/**
 * Applies user knowledge-base files (YAML or JSON, in order) on top of `data/groups.json` and makes
 * the result what `loadGroups()` returns from now on, to the extractor's name gazetteer too. Call it
 * before extracting; `useKnowledgeBase([])` goes back to the shipped knowledge base. Every file is
 * read and checked first: if any is unreadable, malformed or breaks the schema, nothing changes and
 * a `KnowledgeBaseError` lists every problem.
 */
export function useKnowledgeBase(files: readonly string[]): KnowledgeBase {
  const base = shippedKnowledgeBase();
  if (files.length === 0) {
    active = undefined;
    return base;
  }
  const merged = mergeKnowledgeBase(
    base.groups,
    files.map((path) => readKnowledgeBaseFile(path)),
  );
  active = merged;
  return merged;
}

/** A user file's entries before validation, or why it cannot be read. */
export interface KnowledgeBaseSource {
  readonly path: string;
  readonly sha256: string;
  readonly entries: readonly unknown[] | null;
  readonly problem: string | null;
}

/** Reads one user file: `.json` as JSON, anything else as YAML. Its entries are a list, or the list
 * under `groups`. */
export function readKnowledgeBaseFile(path: string): KnowledgeBaseSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : String(code);
    return { path, sha256: '', entries: null, problem: `cannot read: ${reason}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fail = (problem: string) => ({ path, sha256, entries: null, problem });
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return fail(`not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${message}`);
  }
  const entries = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object' && Array.isArray((value as { groups?: unknown }).groups)
      ? (value as { groups: unknown[] }).groups
      : null;
  if (entries === null) return fail('expected a list of groups, or an object with a list under "groups"');
  return { path, sha256, entries, problem: null };
}

const addAliases = z.array(z.string().min(2)).optional();

/** A group the knowledge base does not have yet: what must be said, the rest defaults to empty. */
const newGroupSchema = armedGroupSchema
  .extend({
    aliases: armedGroupSchema.shape.aliases.default([]),
    parent: armedGroupSchema.shape.parent.default(null),
    relations: armedGroupSchema.shape.relations.default([]),
    adversaries: armedGroupSchema.shape.adversaries.default([]),
    media_arms: armedGroupSchema.shape.media_arms.default([]),
    active_from: armedGroupSchema.shape.active_from.default(null),
    active_to: armedGroupSchema.shape.active_to.default(null),
    designations: armedGroupSchema.shape.designations.default([]),
    add_aliases: addAliases,
  })
  .strict();

/** An override of a known group: the fields it lists replace the group's, `add_aliases` adds aliases. */
const overrideSchema = armedGroupSchema
  .omit({ id: true })
  .partial()
  .extend({ id: armedGroupSchema.shape.id, add_aliases: addAliases })
  .strict();

const entryLabel = (index: number, id: unknown) =>
  `entry ${index}${typeof id === 'string' ? ` (id "${id}")` : ''}`;

const issuePath = (path: readonly PropertyKey[]) =>
  path.length === 0 ? '' : `${path.map(String).join('.')}: `;

/** Applies the files' entries in order (each file checked whole), then checks the references of the
 * merged list. Throws `KnowledgeBaseError` with every problem found. */
export function mergeKnowledgeBase(
  shippedGroups: readonly ArmedGroup[],
  sources: readonly KnowledgeBaseSource[],
): KnowledgeBase {
  const problems: string[] = [];
  const byId = new Map<string, ArmedGroup>(shippedGroups.map((g) => [g.id, g]));
  /** Where each group was last set by a user file, for reference errors. */
  const setBy = new Map<string, string>();
  for (const source of sources) {
    if (source.entries === null) {
      problems.push(`${source.path}: ${source.problem}`);
      continue;
    }
    source.entries.forEach((entry, index) => {
      const id = entry !== null && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
      const where = `${source.path}: ${entryLabel(index, id)}`;
      if (typeof id !== 'string') {
        problems.push(`${where}: id: required, a slug such as "my-group"`);
        return;
      }
      const known = byId.get(id);
      const parsed = known ? overrideSchema.safeParse(entry) : newGroupSchema.safeParse(entry);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const missing =
            issue.path.length === 1 &&
            (entry as Record<PropertyKey, unknown>)[issue.path[0] as PropertyKey] === undefined;
          const message = missing
            ? `required for a new group (a new group needs id, name, ideology and home_countries; "${id}" is not a known group)`
            : issue.message;
          problems.push(`${where}: ${issuePath(issue.path)}${message}`);
        }
        return;
      }
      const { add_aliases: extra = [], ...fields } = parsed.data;
      const record = armedGroupSchema.parse({ ...known, ...fields });
      const aliases = [...new Set([...record.aliases, ...extra])];
      byId.set(id, { ...record, aliases });
      setBy.set(id, where);
    });
  }
  for (const [id, where] of setBy) {
    const g = byId.get(id) as ArmedGroup;
    const refs: [string, string | null][] = [
      ['parent', g.parent],
      ...g.relations.map((r, i): [string, string] => [`relations.${i}.group`, r.group]),
    ];
    for (const [field, ref] of refs) {
      if (ref === null) continue;
      if (ref === id) problems.push(`${where}: ${field}: refers to the group itself`);
      else if (!byId.has(ref)) problems.push(`${where}: ${field}: refers to unknown group "${ref}"`);
    }
    const seen = new Set([id]);
    for (let p = g.parent; p !== null && byId.has(p); p = (byId.get(p) as ArmedGroup).parent) {
      if (seen.has(p)) {
        problems.push(`${where}: parent: makes a cycle of parents through "${p}"`);
        break;
      }
      seen.add(p);
    }
  }
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  const groups = Object.freeze([...byId.values()]);
  return Object.freeze({
    groups,
    version: versionOf(groups),
    files: Object.freeze(sources.map((s) => ({ path: resolve(s.path), sha256: s.sha256 }))),
  });
}
