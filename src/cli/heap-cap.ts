/**
 * `vigil worker` and `vigil watch` run for days. Without a cap V8 lets a busy heap grow to several
 * times what it keeps alive (see ingest-thread.ts: 1.1 GB of RSS for ~140 MB live), so they run in a
 * child `node --max-old-space-size=<MB>` of themselves: the parent only waits, passes SIGTERM and
 * SIGINT on, and exits as the child did. (`vigil ingest` caps a worker thread instead: it streams
 * outcomes to a progress bar in the main thread; these two only print lines.) A parent killed
 * outright (SIGKILL) closes the IPC channel between them, and the child stops as on SIGTERM rather
 * than run on unseen.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Set in the child's environment: it has a parent to follow. */
const RELAUNCHED = 'VIGIL_RELAUNCHED';

/** Whether this process runs under a heap cap: given by the relaunch, or by the user in NODE_OPTIONS. */
function capped(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.some((flag) => flag.startsWith('--max-old-space-size'));
}

/**
 * Runs this command again in a child process whose heap is capped at `heapMb`, unless this one is
 * capped already or runs from source (the tests' in-process CLI). Resolves to the child's exit code,
 * or null when the caller is to run the command itself.
 */
export async function relaunchCapped(heapMb: number): Promise<number | null> {
  if (process.env[RELAUNCHED] !== undefined && process.channel !== undefined) {
    followParent(process.channel);
    return null;
  }
  if (capped() || import.meta.url.endsWith('.ts')) return null;
  const child = spawn(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${heapMb}`, ...process.argv.slice(1)],
    { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...process.env, [RELAUNCHED]: '1' } },
  );
  // A terminal's Ctrl-C reaches the child as well: the commands' stop handlers take it twice.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        resolve(code ?? (signal === null ? 1 : 128 + (constants.signals[signal] ?? 0))),
      );
    });
  } finally {
    process.off('SIGTERM', forward);
    process.off('SIGINT', forward);
  }
}

/** In the child: the parent gone (the channel closed), stop as on SIGTERM. The channel alone does
 * not keep the child running. */
function followParent(channel: NonNullable<typeof process.channel>): void {
  channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** The heap limit V8 works to in this process, in MB (a little over `--max-old-space-size`). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}
