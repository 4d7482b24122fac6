/** How `readSources` reads its inputs. */
export interface ReadOptions {
  /** Publication date applied to documents that carry none (`YYYY-MM-DD` or ISO date-time). */
  readonly published?: string;
  /** Outlet applied to documents that carry none. */
  readonly outlet?: string;
  /** Largest file (or JSON Lines line, or stdin) read, in bytes; default 10 MiB. */
  readonly maxBytes?: number;
  /** Where `-` reads from; default `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream;
}

export type ResolvedOptions = Readonly<Required<Pick<ReadOptions, 'maxBytes' | 'stdin'>>> &
  Pick<ReadOptions, 'published' | 'outlet'>;

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function resolveOptions(options: ReadOptions): ResolvedOptions {
  return Object.freeze({
    published: options.published,
    outlet: options.outlet,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    stdin: options.stdin ?? process.stdin,
  });
}
