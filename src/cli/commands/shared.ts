import { delimiter } from 'node:path';
import type { Command } from 'commander';
import type { KnowledgeBase } from '../../knowledge/groups.js';
import type { KnowledgeBaseStamp } from '../../store/index.js';
import { CliError } from '../errors.js';
import { write } from '../io.js';
import { dbLocation } from '../options.js';

/** The database for this invocation: `--db` (before or after the command), `VIGIL_DB`, or `./vigil.db`. */
export function databaseOf(command: Command): string {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  return dbLocation(db, process.env);
}

/** Adds an `Example:` section to a command's `--help`. */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  );
}

/** Adds `--kb <file>` (repeatable): user knowledge-base files applied on top of `data/groups.json`. */
export function withKnowledgeBaseOption(command: Command): Command {
  return command.option(
    '--kb <file>',
    'knowledge-base file (YAML or JSON) adding groups or overriding them by id; repeatable (default: $VIGIL_KB)',
    (file: string, previous: string[] | undefined) => [...(previous ?? []), file],
  );
}

/** The user knowledge-base files: every `--kb`, else `$VIGIL_KB` (paths separated by `:`, `;` on Windows). */
export function knowledgeBaseFiles(
  option: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (option !== undefined) {
    if (option.some((f) => f.trim() === '')) throw new CliError('--kb', 'must name a file');
    return [...option];
  }
  return (env.VIGIL_KB ?? '').split(delimiter).filter((f) => f.trim() !== '');
}

/**
 * Puts in effect the knowledge base of `--kb` / `$VIGIL_KB`, for the extractor and the store sync that
 * follow. Called before the store is opened: a file that is unreadable, malformed or breaks the schema
 * is refused whole, each problem on stderr as `error <file>: entry <i> (id "<id>"): <field>: <message>`,
 * and nothing is stored.
 */
export async function useKnowledgeBaseOf(command: Command): Promise<KnowledgeBase> {
  const files = knowledgeBaseFiles(command.optsWithGlobals<{ kb?: string[] }>().kb, process.env);
  const { KnowledgeBaseError, useKnowledgeBase } = await import('../../knowledge/groups.js');
  try {
    return useKnowledgeBase(files);
  } catch (error) {
    if (!(error instanceof KnowledgeBaseError)) throw error;
    for (const problem of error.problems) await write(process.stderr, `error ${problem}\n`);
    const n = error.problems.length;
    const refused = files.filter((f) => error.problems.some((p) => p.startsWith(`${f}: `)));
    throw new CliError(
      refused.join(', ') || '--kb',
      `knowledge base refused (${n} problem${n === 1 ? '' : 's'}); nothing stored`,
    );
  }
}

/** `knowledge base <version> (<n> groups; data/groups.json + files), synced <when>`. */
export function knowledgeBaseLine(stamp: KnowledgeBaseStamp | null): string {
  if (stamp === null) return 'knowledge base not synced yet';
  const sources = ['data/groups.json', ...stamp.files.map((f) => f.path)].join(' + ');
  return `knowledge base ${stamp.version.slice(0, 12)} (${stamp.groups} groups; ${sources}), synced ${stamp.loaded_at}`;
}
