import { Command, CommanderError } from 'commander';
import { registerAlerts } from './commands/alerts.js';
import { registerAnalysis } from './commands/analysis.js';
import { registerBrief } from './commands/brief.js';
import { registerDemo } from './commands/demo.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerExtract } from './commands/extract.js';
import { registerGraph } from './commands/graph.js';
import { registerGroups } from './commands/groups.js';
import { registerHistory } from './commands/history.js';
import { registerImport } from './commands/import.js';
import { registerIncident } from './commands/incident.js';
import { registerIncidents } from './commands/incidents.js';
import { registerIngest } from './commands/ingest.js';
import { registerKeys } from './commands/keys.js';
import { registerMedia } from './commands/media.js';
import { registerOrgs } from './commands/orgs.js';
import { registerPull } from './commands/pull.js';
import { registerReactions } from './commands/reactions.js';
import { registerServe } from './commands/serve.js';
import { registerStats } from './commands/stats.js';
import { registerThreat } from './commands/threat.js';
import { registerWatch } from './commands/watch.js';
import { registerWorker } from './commands/worker.js';
import { describeFailure, EXIT, type ExitCode } from './errors.js';
import { packageVersion } from './io.js';
import { DEFAULT_DB } from './options.js';

/** The `vigil` command with its subcommands. Errors are thrown (exitOverride), never exit the process. */
export function createProgram(): Command {
  // Settings first: subcommands made with .command() inherit them.
  const program = new Command('vigil')
    .description('Turn news about terrorist attacks into GTD-style incident records with evidence')
    .version(packageVersion(), '-V, --version')
    .option('--db <location>', `SQLite file or postgres:// URL (default: $VIGIL_DB, else ${DEFAULT_DB})`)
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message.replace(/^error: /, 'vigil: ')) });
  registerIngest(program);
  registerWatch(program);
  registerWorker(program);
  registerExtract(program);
  registerIncidents(program);
  registerIncident(program);
  registerGroups(program);
  registerStats(program);
  registerDemo(program);
  registerEval(program);
  registerExport(program);
  registerImport(program);
  registerPull(program);
  registerServe(program);
  registerOrgs(program);
  registerKeys(program);
  registerHistory(program);
  registerAlerts(program);
  registerThreat(program);
  registerAnalysis(program);
  registerGraph(program);
  registerReactions(program);
  registerBrief(program);
  registerMedia(program);
  program.addHelpText('after', '\nExample:\n  $ vigil demo && vigil incidents --country RU\n');
  return program;
}

/** Runs `vigil` with `argv` (as process.argv) and returns the exit code. */
export async function run(argv: readonly string[]): Promise<ExitCode> {
  // `vigil incidents | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
  try {
    await createProgram().parseAsync([...argv]);
    return (process.exitCode as ExitCode | undefined) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    const failure = describeFailure(error);
    process.stderr.write(`${failure.line}\n`);
    if (process.env.VIGIL_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    return failure.exitCode;
  }
}
