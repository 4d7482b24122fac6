import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReadOptions } from '../../sources/index.js';
import type { MarkingLevel } from '../../store/index.js';
import type { JobSpec } from '../../store/jobs.js';
import { CliError, EXIT } from '../errors.js';
import { countOutcome, emptyTally } from '../format.js';
import { heapLimitMb, relaunchCapped } from '../heap-cap.js';
import { print, withStore } from '../io.js';
import { DEFAULT_MAX_HEAP_MB, parseHeap } from './ingest.js';
import { checkedHolding } from './orgs.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

/* Team-scale ingestion: `vigil ingest --queue` puts one job per input in the database's job table
 * (PostgreSQL for several machines), and any number of `vigil worker` processes take them, each
 * job by one worker (SELECT … FOR UPDATE SKIP LOCKED), with the same reading and storing as
 * `vigil ingest`. */

interface WorkerOptions {
  readonly exitWhenEmpty?: boolean;
  readonly maxHeap: string;
  readonly poll: string;
  readonly json?: boolean;
}

export function registerWorker(program: Command): void {
  const command = program
    .command('worker')
    .description(
      'Take ingestion jobs queued by `vigil ingest --queue` from the database and run them; run several to share the work',
    )
    .option('--exit-when-empty', 'exit once no job is left to take, instead of waiting for more')
    .option('--poll <duration>', 'time between looks at an empty queue (such as 2s, 500ms)', '2s')
    .option('--json', 'one JSON line per job done')
    .option('--max-heap <MB>', 'heap limit of the worker process, in MB', String(DEFAULT_MAX_HEAP_MB));
  withKnowledgeBaseOption(command).action((options: WorkerOptions, self: Command) =>
    workerCommand(options, self),
  );
  withExamples(
    command,
    'vigil --db postgres://vigil@db/vigil ingest --queue feeds/*.jsonl',
    'vigil --db postgres://vigil@db/vigil worker',
  );
}

/** The jobs of `vigil ingest --queue`: one per input, paths made absolute so any worker finds them. */
export function jobSpecs(
  inputs: readonly string[],
  read: ReadOptions,
  marking: { tlp: MarkingLevel; org: string | null; recipients: string[] } | null,
): JobSpec[] {
  if (inputs.includes('-')) throw new CliError('-', 'stdin cannot be queued: give files, folders or URLs');
  const { stdin: _stdin, ...rest } = read;
  return inputs.map((input) => ({
    input: /^https?:\/\//i.test(input) ? input : resolve(input),
    read: rest,
    marking,
  }));
}

export async function enqueue(location: string, specs: readonly JobSpec[], json: boolean): Promise<void> {
  const { openJobQueue } = await import('../../store/jobs.js');
  const queue = await openJobQueue(location);
  try {
    const ids = await queue.enqueue(specs);
    for (const [i, id] of ids.entries()) {
      const input = specs[i]?.input ?? '';
      await print(json ? JSON.stringify({ status: 'queued', job: id, input }) : `queued job ${id}: ${input}`);
    }
  } finally {
    await queue.close();
  }
}

async function workerCommand(options: WorkerOptions, command: Command): Promise<void> {
  const poll = parsePoll(options.poll);
  const relaunched = await relaunchCapped(parseHeap(options.maxHeap));
  if (relaunched !== null) {
    process.exitCode = relaunched;
    return;
  }
  const location = databaseOf(command);
  await useKnowledgeBaseOf(command);
  const { ingest } = await import('../../pipeline/ingest.js');
  const { openJobQueue } = await import('../../store/jobs.js');
  const name = `${hostname()}:${process.pid}`;
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  // `on`, not `once`: a terminal's Ctrl-C comes from it and from the parent (heap-cap.ts).
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const queue = await openJobQueue(location);
  process.stderr.write(
    `vigil worker, process ${process.pid}: taking jobs (heap limit ${heapLimitMb()} MB)\n`,
  );
  let failed = 0;
  try {
    await withStore(location, async (store) => {
      while (!stopping) {
        const job = await queue.claim(name);
        if (job === null) {
          if (options.exitWhenEmpty) break;
          await new Promise<void>((done) => {
            wake = done;
            setTimeout(done, poll);
          });
          continue;
        }
        const tally = emptyTally();
        try {
          const holding = await checkedHolding(store, job.marking as Parameters<typeof checkedHolding>[1]);
          for await (const outcome of ingest(store, [job.input], job.read, holding))
            countOutcome(tally, outcome);
          const result = { stored: tally.stored, duplicate: tally.duplicate, error: tally.error };
          await queue.finish(job.id, name, result);
          await print(
            options.json
              ? JSON.stringify({ status: 'done', job: job.id, input: job.input, ...result })
              : `job ${job.id} ${job.input}: ${result.stored} stored, ${result.duplicate} already known, ${result.error} refused`,
          );
        } catch (error) {
          failed += 1;
          const reason = error instanceof Error ? error.message : String(error);
          await queue.fail(job.id, name, reason);
          process.stderr.write(`error job ${job.id} ${job.input}: ${reason}\n`);
        }
      }
    });
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await queue.close();
  }
  if (failed > 0) process.exitCode = EXIT.badInput;
}

function parsePoll(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match?.[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm'];
  const ms = match ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1) throw new CliError('--poll', `'${value}' is not a duration`);
  return ms;
}
