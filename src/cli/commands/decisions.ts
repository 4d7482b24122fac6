import { userInfo } from 'node:os';
import { CliError } from '../errors.js';

/** Options of every command that records an analyst's decision. */
export interface DecisionOptions {
  readonly by?: string;
  readonly reason?: string;
}

/** Who takes a decision: `--by`, else `$VIGIL_USER`, else the login name. */
export function decider(options: DecisionOptions): string {
  const by = options.by ?? process.env.VIGIL_USER ?? userInfo().username;
  if (!by.trim()) throw new CliError('--by', 'must name who takes the decision');
  return by;
}

export function reasonOf(options: DecisionOptions): string {
  if (!options.reason?.trim()) throw new CliError('--reason', 'say why, for the analysts who come after you');
  return options.reason;
}
