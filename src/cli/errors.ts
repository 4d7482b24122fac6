// The error class alone, not the store: loading the database drivers would slow every command.
import { StoreError } from '../store/errors.js';

/** Exit codes of every `vigil` command. */
export const EXIT = Object.freeze({
  ok: 0,
  /** Bad input: an input refused, an unknown incident id, a bad option value. */
  badInput: 1,
  /** Vigil's own failure: the database cannot be opened, an unexpected exception. */
  internal: 2,
} as const);

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the user should read: what it concerns (an input, an option, an id) and what is wrong. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly subject: string | null;
  readonly problem: string;
  readonly exitCode: ExitCode;

  constructor(subject: string | null, problem: string, exitCode: ExitCode = EXIT.badInput) {
    super(subject === null ? problem : `${subject}: ${problem}`);
    this.subject = subject;
    this.problem = problem;
    this.exitCode = exitCode;
  }
}

export interface Failure {
  /** The line for stderr, `vigil: <subject>: <problem>`. */
  readonly line: string;
  readonly exitCode: ExitCode;
}

/** A failure another thread already described (the ingest thread, src/cli/ingest-thread.ts). */
export class ReportedFailure extends Error {
  override readonly name = 'ReportedFailure';
  constructor(readonly failure: Failure) {
    super(failure.line);
  }
}

/** How a thrown value is reported: the line to print and the exit code. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof ReportedFailure) return error.failure;
  if (error instanceof CliError)
    return { line: errorLine(error.subject, error.problem), exitCode: error.exitCode };
  if (error instanceof StoreError) {
    if (error.code === 'ambiguous_id' || error.code === 'invalid_option') {
      return { line: errorLine(null, error.message), exitCode: EXIT.badInput };
    }
    // "cannot open database /x/vigil.db: …" → "/x/vigil.db: cannot open database: …"
    const problem = error.message.replace(` ${error.location}:`, ':');
    return { line: errorLine(error.location, problem), exitCode: EXIT.internal };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: errorLine('internal error', message), exitCode: EXIT.internal };
}

/** `vigil: <subject>: <problem>`, or `vigil: <problem>` when there is no subject. */
export function errorLine(subject: string | null, problem: string): string {
  return subject === null ? `vigil: ${problem}` : `vigil: ${subject}: ${problem}`;
}
