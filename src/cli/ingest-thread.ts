/**
 * `vigil ingest` runs the pipeline in a worker thread whose heap is capped (`--max-heap`): V8 lets
 * a busy process's heap grow to several times what it keeps alive (about 140 MB here: gazetteer,
 * knowledge base, the resolution cache), so a long ingest reached 1.1 GB of RSS although nothing
 * leaked. A cap makes the collector work to it; the main thread only prints.
 *
 * The thread posts one message per outcome and pauses when `WINDOW` are not yet acknowledged, so a
 * slow terminal never makes outcomes pile up in the main thread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { IngestOutcome } from '../pipeline/ingest.js';
import type { ReadOptions } from '../sources/index.js';
import { CliError, describeFailure, EXIT, type Failure, ReportedFailure } from './errors.js';

/** What the thread needs to run one `vigil ingest`: plain data, as it crosses threads. */
export interface IngestJob {
  readonly location: string;
  /** SQLite: the main thread checkpoints the log (see `startCheckpointer`). */
  readonly checkpointedElsewhere?: boolean;
  readonly inputs: readonly string[];
  readonly read: Omit<ReadOptions, 'stdin'>;
  readonly marking: { tlp: string; org: string | null; recipients: string[] } | null;
  /** User knowledge-base files (`--kb`), already checked by the main thread. */
  readonly knowledgeBase: readonly string[];
}

type ThreadMessage =
  | { readonly kind: 'outcome'; readonly outcome: IngestOutcome }
  | { readonly kind: 'failure'; readonly failure: Failure }
  | { readonly kind: 'done' };

const WINDOW = 256;

/** Runs `job` in a thread with at most `heapMb` of old-generation heap; yields its outcomes. */
export async function* ingestInThread(job: IngestJob, heapMb: number): AsyncGenerator<IngestOutcome> {
  const readsStdin = job.inputs.includes('-');
  // A SQLite log's checkpoints run here, on another core than the ingest's (a fifth of ingest time
  // in a 35k-document store when the thread did them between its writes).
  const { startCheckpointer } = await import('../store/checkpoint.js');
  const checkpointer = startCheckpointer(job.location);
  const thread = new Worker(threadEntry(), {
    workerData: { ingestJob: { ...job, checkpointedElsewhere: checkpointer !== null } },
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    stdin: readsStdin,
    eval: import.meta.url.endsWith('.ts'),
  });
  if (readsStdin && thread.stdin) process.stdin.pipe(thread.stdin);
  const waiting: ThreadMessage[] = [];
  let ended: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  thread.on('message', (message: ThreadMessage) => {
    waiting.push(message);
    notify();
  });
  thread.on('error', (error) => {
    ended = { error };
    notify();
  });
  thread.on('exit', () => {
    ended ??= { error: null };
    notify();
  });
  try {
    for (;;) {
      const message = waiting.shift();
      if (message?.kind === 'outcome') {
        yield message.outcome;
        thread.postMessage('ack');
      } else if (message?.kind === 'failure') throw new ReportedFailure(message.failure);
      else if (message?.kind === 'done') return;
      else if (ended !== null) {
        const { error } = ended as { error: unknown };
        // Ended without saying it was done: out of memory, or an exception outside runJob.
        throw (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new CliError(
              '--max-heap',
              `the ingest ran out of its ${heapMb} MB heap and stopped; the documents reported stored are kept: run it again with a larger --max-heap to ingest the rest`,
              EXIT.internal,
            )
          : (error ?? new Error('the ingest thread stopped unexpectedly'));
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (readsStdin) process.stdin.unpipe();
    await thread.terminate();
    checkpointer?.stop();
  }
}

/** This module, built; from source (tests run the CLI in-process) a script loading it through tsx. */
function threadEntry(): URL | string {
  if (!import.meta.url.endsWith('.ts')) return new URL(import.meta.url);
  const self = JSON.stringify(import.meta.url);
  return `import('tsx/esm/api').then((tsx) => tsx.tsImport(${self}, ${self}));`;
}

async function runJob(job: IngestJob): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  let unacknowledged = 0;
  let resume: (() => void) | null = null;
  port.on('message', () => {
    unacknowledged -= 1;
    resume?.();
    resume = null;
  });
  try {
    const { useKnowledgeBase } = await import('../knowledge/groups.js');
    useKnowledgeBase(job.knowledgeBase);
    const [{ ingest }, { withStore }, { checkedHolding }] = await Promise.all([
      import('../pipeline/ingest.js'),
      import('./io.js'),
      import('./commands/orgs.js'),
    ]);
    await withStore(
      job.location,
      async (store) => {
        const holding = await checkedHolding(store, job.marking as Parameters<typeof checkedHolding>[1]);
        for await (const outcome of ingest(store, job.inputs, job.read, holding)) {
          port.postMessage({ kind: 'outcome', outcome } satisfies ThreadMessage);
          unacknowledged += 1;
          while (unacknowledged >= WINDOW) await new Promise<void>((r) => (resume = r));
        }
      },
      { checkpointedElsewhere: job.checkpointedElsewhere === true },
    );
    port.postMessage({ kind: 'done' } satisfies ThreadMessage);
  } catch (error) {
    port.postMessage({ kind: 'failure', failure: describeFailure(error) } satisfies ThreadMessage);
  } finally {
    port.removeAllListeners('message');
  }
}

const started = isMainThread ? undefined : (workerData as { ingestJob?: IngestJob } | null)?.ingestJob;
if (started !== undefined) await runJob(started);
