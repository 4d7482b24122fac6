import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.js';
import { openStore } from '../../src/store/index.js';
import { AZAIM_EXPORT, MEDIA_LINES } from './helpers.js';

/* `vigil media` in-process against a SQLite file (the CLI tests in test/cli run the built dist/). */

const dir = mkdtempSync(join(tmpdir(), 'vigil-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshDb = () => join(dir, `media-${++n}.db`);

async function vigil(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await run(['node', 'vigil', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

async function stored(db: string) {
  const store = await openStore(db);
  try {
    return await store.media.listMediaItems();
  } finally {
    await store.close();
  }
}

describe('vigil media ingest', () => {
  it('stores metadata, language, attribution and audiences, never the text by default', async () => {
    const db = freshDb();
    const r = await vigil(['--db', db, 'media', 'ingest', AZAIM_EXPORT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`stored ${AZAIM_EXPORT}#109  tgk  iskp (al-Azaim)  → TJ,RU`);
    expect(r.stdout).toContain(
      '7 stored, 0 already known, 0 refused, 2 skipped (service messages or no text), 1 warning',
    );
    expect(r.stderr).toBe(
      `warning ${AZAIM_EXPORT}#107: language not identified (5 characters); stored with no language\n`,
    );
    const items = await stored(db);
    expect(items).toHaveLength(7);
    expect(items.every((i) => i.text === null && /^[0-9a-f]{64}$/.test(i.textSha256))).toBe(true);
    const tajik = items.find((i) => i.messageId === '109');
    expect(tajik).toMatchObject({
      channel: 'Al-Azaim Foundation',
      language: 'tgk',
      languageMethod: 'script',
      groupId: 'iskp',
      mediaArm: 'al-Azaim',
      attributionMethod: 'channel',
      audiences: ['TJ', 'RU'],
    });
    for (const e of (tajik?.evidence ?? []) as { snippet: string }[])
      expect([...e.snippet].length).toBeLessThanOrEqual(200);
    // Nothing of the posts' wording is in the database file beyond the evidence snippets.
    expect(readFileSync(db).includes(Buffer.from('Худованд'))).toBe(false);
  });

  it('keeps the full text only with --keep-text, and stores nothing twice', async () => {
    const db = freshDb();
    await vigil(['--db', db, 'media', 'ingest', AZAIM_EXPORT, '--keep-text']);
    expect((await stored(db)).find((i) => i.messageId === '109')?.text).toMatch(/^Шумораи нави маҷалла/);
    const again = await vigil(['--db', db, 'media', 'ingest', AZAIM_EXPORT]);
    expect(again.stdout).toContain('0 stored, 7 already known');
  });

  it('names every refused item, ingests the rest and exits 1', async () => {
    const db = freshDb();
    const r = await vigil(['--db', db, 'media', 'ingest', MEDIA_LINES]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      `error ${MEDIA_LINES}:5: date: must be a date (YYYY-MM-DD or ISO date-time)`,
      `error ${MEDIA_LINES}:6: language: must be an ISO 639-1 or 639-3 code`,
      `error ${MEDIA_LINES}:7: invalid JSON: Unexpected end of JSON input`,
    ]);
    expect(r.stdout).toContain('4 stored, 0 already known, 3 refused');
  });

  it('stores the complete messages of a truncated export and nothing of the broken one', async () => {
    const db = freshDb();
    const text = readFileSync(AZAIM_EXPORT, 'utf8');
    const cut = join(dir, 'truncated.json');
    writeFileSync(cut, text.slice(0, text.indexOf('"id": 109') + 30));
    const r = await vigil(['--db', db, 'media', 'ingest', cut]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error ${cut}#109: truncated export: the file ends inside this message; it is not read`,
    );
    expect((await stored(db)).map((i) => i.messageId)).toEqual(['101', '102', '104', '106', '107', '108']);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, '{"version": 3, "posts": []}');
    const u = await vigil(['--db', db, 'media', 'ingest', unknown]);
    expect(u.stderr).toContain(`error ${unknown}: unknown export version`);
  });

  it('reads a statement file with --channel', async () => {
    const db = freshDb();
    const file = join(dir, 'statement.txt');
    writeFileSync(file, 'Statement of Wilayat Khorasan to our brothers in Kazakhstan and Kyrgyzstan.');
    const r = await vigil([
      '--db',
      db,
      'media',
      'ingest',
      file,
      '--channel',
      'Relay',
      '--published',
      '2024-04-10',
    ]);
    expect(r.code).toBe(0);
    expect(await stored(db)).toEqual([
      expect.objectContaining({
        kind: 'statement',
        groupId: 'iskp',
        attributionMethod: 'text',
        audiences: ['KZ', 'KG'],
        published: '2024-04-10',
      }),
    ]);
  });
});

describe('vigil media', () => {
  it('shows volumes by language and audience and the new-language alert, linked to attacks on record', async () => {
    const db = freshDb();
    copyFileSync(AZAIM_EXPORT, join(dir, 'result.json'));
    await vigil(['--db', db, 'media', 'ingest', join(dir, 'result.json'), MEDIA_LINES]);
    const r = await vigil(['--db', db, 'media', '--group', 'ISIS-K', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      volumes: { group: string; total: number; byLanguage: Record<string, number> }[];
      alerts: { kind: string; language: string | null; audience: string | null; severity: string }[];
    };
    expect(report.volumes).toHaveLength(1);
    expect(report.volumes[0]).toMatchObject({
      group: 'iskp',
      total: 8,
      byLanguage: { eng: 2, arb: 1, pbu: 1, pes: 1, rus: 1, tgk: 1, und: 1 },
    });
    expect(report.alerts.map((a) => [a.kind, a.language, a.audience])).toEqual([
      ['new_language', 'arb', null],
      ['new_language', 'rus', null],
      ['new_audience', 'rus', 'TJ'],
      ['new_audience', 'eng', 'UZ'],
      ['new_language', 'tgk', null],
      ['new_audience', 'tgk', 'RU'],
    ]);
    const text = await vigil(['--db', db, 'media']);
    expect(text.stdout).toContain('Islamic State Khorasan Province (iskp): 8 items, 2024-01-05 … 2024-04-02');
    expect(text.stdout).toContain('First Tajik-language item from Islamic State Khorasan Province');
    expect(text.stdout).toContain('Islamic State (islamic-state): 2 items');
  });

  it('refuses a bad option by name', async () => {
    const r = await vigil(['--db', freshDb(), 'media', '--period', 'decade']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("vigil: --period: 'decade' is not one of week, month, year");
  });
});
