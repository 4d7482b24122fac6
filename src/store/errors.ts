import { resolve } from 'node:path';

export type StoreErrorCode = 'open_failed' | 'migration_failed' | 'ambiguous_id' | 'invalid_option';

/** A failure of the store itself (cannot open, cannot migrate, ambiguous id), as opposed to bad input. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** The database location with any password redacted. */
  readonly location: string;

  constructor(code: StoreErrorCode, message: string, location: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.location = location;
  }
}

const PASSWORD_PARAMS = ['password', 'sslpassword'];

/** The location safe to print: `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function redactLocation(location: string): string {
  if (!isPostgresLocation(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    for (const name of PASSWORD_PARAMS) if (url.searchParams.has(name)) url.searchParams.set(name, '***');
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A SQLite location as the absolute path of its file (`:memory:` as it is). */
export function sqlitePath(location: string): string {
  return location === ':memory:' ? location : resolve(location);
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** A short human reason for a driver error ("connection refused"). */
export function describeCause(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? NETWORK_REASONS[code] : undefined;
  if (known) return known;
  if (error instanceof AggregateError && error.errors.length > 0) return describeCause(error.errors[0]);
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}
