import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES } from '../server/fixtures.js';
import { childEnv, MAIN, vigil as run } from './helpers.js';

// `vigil orgs`, `vigil keys`, `vigil ingest --tlp` and `vigil serve` on a real SQLite file.

const vigil = (args: readonly string[], cwd: string) => run(args, { cwd });

describe('vigil orgs, keys, ingest --tlp and serve', { timeout: 120_000 }, () => {
  let dir: string;
  let db: string;
  const keys: Record<string, { id: string; key: string }> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-serve-'));
    db = join(dir, 'vigil.db');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('adds, lists and shares organisations', async () => {
    expect(await vigil(['--db', db, 'orgs', 'add', 'alpha'], dir)).toMatchObject({
      code: 0,
      stdout: 'added organisation alpha\n',
    });
    expect((await vigil(['--db', db, 'orgs', 'add', 'beta'], dir)).code).toBe(0);
    expect((await vigil(['--db', db, 'orgs', 'add', 'gamma'], dir)).code).toBe(0);
    const again = await vigil(['--db', db, 'orgs', 'add', 'alpha'], dir);
    expect(again).toMatchObject({ code: 1, stderr: 'vigil: organisation alpha exists already\n' });
    expect((await vigil(['--db', db, 'orgs', 'add', 'no/slash'], dir)).code).toBe(1);
    expect((await vigil(['--db', db, 'orgs', 'share', 'alpha', 'beta'], dir)).code).toBe(0);
    const list = await vigil(['--db', db, 'orgs', 'list', '--json'], dir);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'alpha', created_at: expect.any(String), shares_with: ['beta'] },
      { name: 'beta', created_at: expect.any(String), shares_with: [] },
      { name: 'gamma', created_at: expect.any(String), shares_with: [] },
    ]);
  });

  it('creates keys printed once, lists them without the key, and revokes them', async () => {
    for (const [name, org, role] of [
      ['alpha', 'alpha', 'analyst'],
      ['beta', 'beta', 'viewer'],
      ['gamma', 'gamma', 'viewer'],
    ] as const) {
      const run = await vigil(
        ['--db', db, 'keys', 'create', '--org', org, '--role', role, '--user', `${name}-user`],
        dir,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^vgl_[A-Za-z0-9_-]{43}\n$/);
      const id = /key ([0-9a-f]{16}) /.exec(run.stderr)?.[1] as string;
      expect(run.stderr).toContain('shown only now');
      keys[name] = { id, key: run.stdout.trim() };
    }
    const json = JSON.parse(
      (await vigil(['--db', db, 'keys', 'create', '--org', 'alpha', '--role', 'admin', '--json'], dir))
        .stdout,
    );
    expect(json).toMatchObject({
      org: 'alpha',
      role: 'admin',
      user: null,
      key: expect.stringMatching(/^vgl_/),
    });
    const list = await vigil(['--db', db, 'keys', 'list'], dir);
    expect(list.stdout).toContain(keys.alpha?.id);
    for (const k of Object.values(keys)) expect(list.stdout).not.toContain(k.key);
    expect(await vigil(['--db', db, 'keys', 'revoke', json.id], dir)).toMatchObject({ code: 0 });
    expect(
      JSON.parse((await vigil(['--db', db, 'keys', 'list', '--org', 'alpha', '--json'], dir)).stdout),
    ).toContainEqual(expect.objectContaining({ id: json.id, revoked_at: expect.any(String) }));
    expect((await vigil(['--db', db, 'keys', 'create', '--org', 'alpha', '--role', 'root'], dir)).code).toBe(
      1,
    );
    expect(
      (await vigil(['--db', db, 'keys', 'create', '--org', 'nobody', '--role', 'viewer'], dir)).code,
    ).toBe(1);
    expect((await vigil(['--db', db, 'keys', 'revoke', 'ffff'], dir)).code).toBe(1);
  });

  it('ingests with a TLP marking and an owning organisation', async () => {
    const amber = join(dir, 'amber.txt');
    const clear = join(dir, 'clear.txt');
    await writeFile(amber, ARTICLES.amber.text);
    await writeFile(clear, ARTICLES.clear.text);
    const refused = await vigil(['--db', db, 'ingest', amber, '--tlp', 'amber'], dir);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('--org: --tlp amber needs') });
    expect((await vigil(['--db', db, 'ingest', amber, '--tlp', 'white', '--org', 'alpha'], dir)).code).toBe(
      1,
    );
    expect((await vigil(['--db', db, 'ingest', amber, '--tlp', 'amber', '--org', 'nobody'], dir)).code).toBe(
      1,
    );
    const run = await vigil(
      ['--db', db, 'ingest', amber, '--tlp', 'amber', '--org', 'alpha', '--published', '2024-05-12'],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    expect((await vigil(['--db', db, 'ingest', clear, '--published', '2024-05-12'], dir)).code).toBe(0);
  });

  it('serves the API until SIGTERM, each key seeing what its organisation is cleared for', async () => {
    const serve = ['serve', '--port', '0', '--public-url', 'https://vigil.example.org/'];
    const child = spawn(process.execPath, [MAIN, '--db', db, ...serve], {
      cwd: dir,
      env: childEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += String(d);
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/v1/incidents`)).status).toBe(401);
      const list = async (who: string) => {
        const r = await fetch(`${url}/api/v1/incidents`, {
          headers: { authorization: `Bearer ${keys[who]?.key}` },
        });
        return ((await r.json()) as { incidents: { tlp: string; country: string }[] }).incidents.map(
          (i) => `${i.country}:${i.tlp}`,
        );
      };
      expect((await list('alpha')).sort()).toEqual(['NG:amber', 'SO:clear']);
      expect((await list('beta')).sort()).toEqual(['NG:amber', 'SO:clear']);
      expect(await list('gamma')).toEqual(['SO:clear']);
      const discovery = await fetch(`${url}/taxii2/`, {
        headers: { authorization: `Bearer ${keys.alpha?.key}` },
      });
      expect(await discovery.json()).toMatchObject({
        api_roots: ['https://vigil.example.org/taxii2/vigil/'],
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('vigil: stopped');
    expect(stdout).toContain('signal received');
    expect(stdout).toContain('"key_id"');
    for (const k of Object.values(keys)) expect(stdout).not.toContain(k.key);
  });

  it('refuses a bad port', async () => {
    expect(await vigil(['--db', db, 'serve', '--port', 'http'], dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--port: 'http' is not a port"),
    });
  });

  it('refuses a public URL that is not an http or https URL', async () => {
    expect(await vigil(['--db', db, 'serve', '--public-url', 'ftp://vigil.example.org'], dir)).toMatchObject({
      code: 1,
      stderr: "vigil: --public-url: 'ftp://vigil.example.org' is not an http or https URL\n",
    });
  });
});
