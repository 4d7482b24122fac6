import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/* The built web dashboard (`vite build` into dist/web), served at `/`. The files are listed and read
 * once at start-up and one route is registered per file: a request can only ever name one of those
 * files, so no path from the URL reaches the file system (no traversal, no symlink surprises). */

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Everything from this origin only: no CDN, no external font, no inline script; styles may be set
 * by the app (React style attributes); the API is on the same origin. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly immutable: boolean;
}

function listFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) listFiles(root, path, out);
    else if (entry.isFile() && statSync(path).size < 20 * 1024 * 1024) out.push(path);
  }
  return out;
}

/** Registers the dashboard's files; returns false (and registers nothing) when `root` has no
 * index.html, that is when the web app was not built. */
export function registerStatic(app: FastifyInstance, root: string): boolean {
  if (!existsSync(join(root, 'index.html'))) return false;
  const files = new Map<string, StaticFile>();
  for (const path of listFiles(root)) {
    const type = TYPES[extname(path).toLowerCase()];
    if (type === undefined) continue;
    const url = `/${relative(root, path).split(sep).join('/')}`;
    if (!/^\/[A-Za-z0-9._/-]+$/.test(url) || url.includes('..')) continue;
    // Vite names the files it emits under assets/ by their content hash.
    files.set(url, { body: readFileSync(path), type, immutable: url.startsWith('/assets/') });
  }
  const index = files.get('/index.html') as StaticFile;
  files.delete('/index.html');
  const send = (file: StaticFile) => async (_req: unknown, reply: FastifyReply) =>
    reply
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .type(file.type)
      .send(file.body);
  const options = { config: { public: true }, schema: { hide: true } };
  app.get('/', options, send(index));
  app.get('/index.html', options, send(index));
  for (const [url, file] of files) app.get(url, options, send(file));
  return true;
}
