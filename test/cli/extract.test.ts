import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOUNDING, vigil } from './helpers.js';

describe('vigil extract', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-extract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the founding article incident as JSON and stores nothing', async () => {
    const run = await vigil(['extract', FOUNDING, '--published', '2024-03-25', '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { document, incidents } = JSON.parse(lines[0] as string);
    expect(document.origin).toBe(FOUNDING);
    expect(document.id).toMatch(/^[0-9a-f]{64}$/);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      date: '2024-03-22',
      city: 'Moscow',
      country: 'RU',
      killed: { value: 139 },
    });
    expect(existsSync(join(dir, 'vigil.db'))).toBe(false);
  });

  it('reports a bad input and still extracts the rest', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '  \n');
    const run = await vigil(['extract', empty, FOUNDING, '--published', '2024-03-25'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(empty);
    expect(run.stdout).toContain('(1 incident)');
    expect(run.stdout).toContain('Moscow, RU');
  });
});
