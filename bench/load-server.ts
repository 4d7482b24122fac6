/**
 * The API server of `npm run bench:load`, in its own process so that autocannon does not share its
 * event loop: `tsx bench/load-server.ts <store.db>` prints `listening <port>` once ready.
 * Rate limits are lifted (200 clients on one key would be throttled otherwise); everything else is
 * `vigil serve` as shipped.
 */
import { buildServer } from '../src/server/app.js';
import { openStore } from '../src/store/index.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: load-server.ts <store.db>');
const store = await openStore(path);
const app = await buildServer({
  store,
  log: { level: 'warn' },
  rateLimit: { max: 100_000_000, windowMs: 60_000 },
  authFailures: { max: 100_000_000, windowMs: 60_000 },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
const stop = () => {
  app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
