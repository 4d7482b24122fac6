import SqliteDatabase from 'better-sqlite3';
import { isPostgresLocation, sqlitePath } from './errors.js';

export interface Checkpointer {
  /** Checkpoints what is left and closes the connection. */
  stop(): void;
}

/**
 * Checkpoints a SQLite store's log every `everyMs` from a connection of its own, for a writer that
 * opened the store with `checkpointedElsewhere` in another thread (`vigil ingest`): the copies into
 * the file then run on another core, in parallel with the writes. A passive checkpoint never waits
 * for the writer; one that fails (the file not there yet, busy) is tried again at the next tick.
 * Null for a location that is not a SQLite file. Its own module: the main thread of `vigil ingest`
 * loads it alone (the whole store, Kysely and pg, took ~270 ms before the thread could start).
 */
export function startCheckpointer(location: string, everyMs = 1000): Checkpointer | null {
  if (isPostgresLocation(location) || location === ':memory:') return null;
  const path = sqlitePath(location);
  let sqlite: SqliteDatabase.Database | null = null;
  const checkpoint = (mode: 'PASSIVE' | 'TRUNCATE') => {
    try {
      sqlite ??= new SqliteDatabase(path, { fileMustExist: true });
      sqlite.pragma(`wal_checkpoint(${mode})`);
    } catch {
      // Next tick (or the writer's own checkpoint at 40,000 pages).
    }
  };
  const timer = setInterval(() => checkpoint('PASSIVE'), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (sqlite === null) return;
      checkpoint('TRUNCATE');
      sqlite.close();
    },
  };
}
