import type { Command } from 'commander';
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
