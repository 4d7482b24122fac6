import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { STATUS_CODES } from 'node:http';
import type { LookupFunction } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, buildConnector, request } from 'undici';
import {
  type AddressPolicy,
  addressProblem,
  isIpLiteral,
  PUBLIC_ONLY,
  refusedAddress,
} from './address-policy.js';
import { tooLarge } from './load-file.js';

/** How URLs are fetched: limits, the address policy and how Vigil names itself. */
export interface FetchSettings {
  /** Whole fetch, redirects and body included, in milliseconds; default 20 s. */
  readonly timeoutMs?: number;
  /** Redirects followed before giving up; default 5. */
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  /** Which addresses may be connected to; default public addresses only. */
  readonly policy?: AddressPolicy;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = 'Vigil (news reader for terrorism incident records)';

/** One fetch: the size limit, and the validators of a conditional GET. */
export interface FetchRequest {
  readonly maxBytes: number;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly accept?: string;
  /** Aborts the fetch (SIGINT in `vigil watch`). */
  readonly signal?: AbortSignal;
  /** More request headers (such as Authorization), sent to the first URL's origin only, never to
   * another origin a redirect leads to. */
  readonly headers?: Readonly<Record<string, string>>;
}

export type FetchResult =
  | {
      readonly ok: true;
      readonly notModified: false;
      /** After redirects. */
      readonly url: string;
      readonly contentType: string | null;
      readonly body: Buffer;
      readonly etag: string | null;
      readonly lastModified: string | null;
    }
  | {
      readonly ok: true;
      readonly notModified: true;
      readonly url: string;
      readonly etag: string | null;
      readonly lastModified: string | null;
    }
  | { readonly ok: false; readonly reason: string };

export interface Fetcher {
  /** Never throws: a failure is `{ ok: false, reason }`, the reason fit to follow `error <url>: `. */
  fetch(url: string, request: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

/** A connection refused by the address policy. */
class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches over HTTP(S) with undici. Unless the policy allows it, no connection is made to a
 * private, loopback, link-local, unique-local, CGNAT, multicast or otherwise non-public address:
 * IP literals are checked before each request (the first and every redirect), host names when
 * they are resolved, inside the connection itself (so DNS cannot change between check and
 * connect), and the socket's remote address once more after connecting.
 */
export function createFetcher(settings: FetchSettings = {}): Fetcher {
  const policy = settings.policy ?? PUBLIC_ONLY;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = settings.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const userAgent = settings.userAgent ?? DEFAULT_USER_AGENT;
  const agent = policy.allowPrivate ? new Agent() : new Agent({ connect: guardedConnector(policy) });

  async function follow(start: string, req: FetchRequest, signal: AbortSignal): Promise<FetchResult> {
    let current = start;
    for (let hop = 0; ; hop++) {
      const via = hop === 0 ? '' : ` (redirected to ${current})`;
      const url = URL.canParse(current) ? new URL(current) : null;
      if (url === null) return { ok: false, reason: `not a valid URL${via}` };
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { ok: false, reason: `unsupported URL scheme ${url.protocol}${via}` };
      }
      if (isIpLiteral(url.hostname)) {
        const refused = refusedAddress(url.hostname, policy);
        if (refused !== null) return { ok: false, reason: `refused: ${refused}${via}` };
      }
      const headers: Record<string, string> = {
        'user-agent': userAgent,
        accept: req.accept ?? '*/*',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (req.headers !== undefined && url.origin === new URL(start).origin)
        Object.assign(headers, req.headers);
      if (req.etag) headers['if-none-match'] = req.etag;
      if (req.lastModified) headers['if-modified-since'] = req.lastModified;
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(url, { method: 'GET', headers, dispatcher: agent, signal });
      } catch (error) {
        return { ok: false, reason: `${describeError(error, signal, timeoutMs)}${via}` };
      }
      const { statusCode } = response;
      const header = (name: string): string | null => {
        const value = response.headers[name];
        return (Array.isArray(value) ? value[0] : value) ?? null;
      };
      if (REDIRECTS.has(statusCode) && header('location') !== null) {
        await response.body.dump();
        if (hop >= maxRedirects)
          return { ok: false, reason: `too many redirects (more than ${maxRedirects})` };
        current = new URL(header('location') as string, url).href;
        continue;
      }
      const validators = { etag: header('etag'), lastModified: header('last-modified') };
      if (statusCode === 304) {
        await response.body.dump();
        return { ok: true, notModified: true, url: url.href, ...validators };
      }
      if (statusCode < 200 || statusCode > 299) {
        await response.body.dump();
        return { ok: false, reason: `HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim() + via };
      }
      const length = Number(header('content-length') ?? Number.NaN);
      if (length > req.maxBytes) {
        response.body.destroy();
        return { ok: false, reason: tooLarge(length, req.maxBytes) };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > req.maxBytes) {
            response.body.destroy();
            return { ok: false, reason: `too large: over the limit of ${req.maxBytes} bytes` };
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        return { ok: false, reason: describeError(error, signal, timeoutMs) };
      }
      const body = decompress(Buffer.concat(chunks), header('content-encoding'), req.maxBytes);
      if (!Buffer.isBuffer(body)) return { ok: false, reason: body.reason };
      return {
        ok: true,
        notModified: false,
        url: url.href,
        contentType: header('content-type'),
        body,
        ...validators,
      };
    }
  }

  return {
    async fetch(url, req) {
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new TimeoutError(`timed out after ${seconds(timeoutMs)}`)),
        timeoutMs,
      );
      const signal = req.signal ? AbortSignal.any([deadline.signal, req.signal]) : deadline.signal;
      try {
        return await follow(url, req, signal);
      } catch (error) {
        return { ok: false, reason: describeError(error, signal, timeoutMs) };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => agent.close(),
  };
}

/** undici's connector with the address policy applied to the resolved and the connected address. */
function guardedConnector(policy: AddressPolicy): buildConnector.connector {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      for (const { address } of addresses) {
        const problem = addressProblem(address, policy);
        if (problem !== null) {
          callback(new RefusedError(`${hostname} resolves to ${address}, ${problem}`), '', 0);
          return;
        }
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else {
        const first = addresses[0];
        if (first === undefined) callback(new Error(`${hostname} has no address`), '', 0);
        else callback(null, first.address, first.family);
      }
    });
  };
  const connect = buildConnector({ lookup });
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      const remote = socket.remoteAddress;
      const refused = remote === undefined ? 'no remote address' : refusedAddress(remote, policy);
      if (refused !== null) {
        socket.destroy();
        callback(new RefusedError(`${options.hostname}: ${refused}`), null);
        return;
      }
      callback(null, socket);
    });
}

type Decompressed = Buffer | { readonly reason: string };

// Accept-Encoding is sent so servers need not send the full size; the inflated size is capped too.
function decompress(body: Buffer, encoding: string | null, maxBytes: number): Decompressed {
  const coding = encoding?.trim().toLowerCase() ?? '';
  if (coding === '' || coding === 'identity') return body;
  const options = { maxOutputLength: maxBytes };
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body, options);
    if (coding === 'deflate') return inflateSync(body, options);
    if (coding === 'br') return brotliDecompressSync(body, options);
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return { reason: `too large: over the limit of ${maxBytes} bytes once decompressed` };
    }
    return { reason: `cannot decompress the ${coding} response` };
  }
  return { reason: `unsupported content encoding ${coding}` };
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the response',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response',
};

function describeError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) {
    return signal.reason instanceof TimeoutError ? signal.reason.message : 'stopped';
  }
  let cause: unknown = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof RefusedError) return `refused: ${cause.message}`;
    if (cause instanceof TimeoutError) return `timed out after ${seconds(timeoutMs)}`;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined && code in NETWORK_REASONS) return NETWORK_REASONS[code] as string;
    if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS error: ${cause.message}`;
    cause = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors[0] : cause.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
