import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { openStore, type Store, startCheckpointer } from '../../src/store/index.js';
import { makeDocument } from './fixtures.js';

/* `vigil ingest` writes from a worker thread whose store leaves the log's checkpoints to another
 * connection on the main thread (another core): the writer's pages reach the file only by that
 * connection's checkpoints, and the log is emptied when it stops. */

const byId = new Map(loadGroups().map((g) => [g.id, g]));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function writtenStore(): Promise<{ path: string; store: Store }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checkpoint-'));
  dirs.push(dir);
  const path = join(dir, 'vigil.db');
  const store = await openStore(path, { checkpointedElsewhere: true });
  for (let n = 0; n < 20; n++) {
    const doc = makeDocument({
      text: `Gunmen killed ${n + 3} police officers at a checkpoint in Kandahar, Afghanistan on Monday. The Taliban claimed the attack.`,
      origin: `test:${n}`,
    });
    await store.saveDocument(doc, incidentsOf(doc, byId));
  }
  return { path, store };
}

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a store checkpointed from another connection', () => {
  it('keeps its writes in the log until the checkpointer copies them into the file', async () => {
    const { path, store } = await writtenStore();
    try {
      const file = size(path);
      expect(size(`${path}-wal`)).toBeGreaterThan(file);
      // Nobody checkpoints: the file stays as it was.
      await pause(300);
      expect(size(path)).toBe(file);
      const checkpointer = startCheckpointer(path, 50);
      expect(checkpointer).not.toBeNull();
      await pause(300);
      expect(size(path)).toBeGreaterThan(file);
      checkpointer?.stop();
      // Stopped, it empties the log although the writer is still open.
      expect(size(`${path}-wal`)).toBe(0);
      expect((await store.stats()).documents).toBe(20);
    } finally {
      await store.close();
    }
  });

  it('waits for a file that does not exist yet, and stops without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-checkpoint-'));
    dirs.push(dir);
    const checkpointer = startCheckpointer(join(dir, 'later.db'), 20);
    await pause(100);
    checkpointer?.stop();
    expect(size(join(dir, 'later.db'))).toBe(0);
  });

  it('is none for PostgreSQL or an in-memory store', () => {
    expect(startCheckpointer('postgres://postgres@127.0.0.1:5432/test')).toBeNull();
    expect(startCheckpointer(':memory:')).toBeNull();
  });
});
