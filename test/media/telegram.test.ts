import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type MediaResult, readMediaFile, readTelegramExport } from '../../src/sources/media.js';
import { AZAIM_EXPORT, MEDIA_LINES } from './helpers.js';

const items = (results: readonly MediaResult[]) =>
  results.flatMap((r) => (r.status === 'item' ? [r.item] : []));
const problems = (results: readonly MediaResult[]) =>
  results.flatMap((r) => (r.status === 'error' ? [`${r.input}: ${r.reason}`] : []));
const collect = async (path: string) => {
  const out: MediaResult[] = [];
  for await (const r of readMediaFile(path)) out.push(r);
  return out;
};

describe('Telegram Desktop export (result.json)', () => {
  const text = readFileSync(AZAIM_EXPORT, 'utf8');

  it('reads each message with channel, date, language and kind; skips service and text-less ones', () => {
    const results = readTelegramExport(text, 'result.json');
    expect(problems(results)).toEqual([]);
    const read = items(results);
    expect(read.map((i) => [i.messageId, i.language, i.kind])).toEqual([
      ['101', 'pbu', 'post'],
      ['102', 'pes', 'post'],
      ['104', 'eng', 'video'],
      ['106', 'arb', 'magazine'],
      ['107', null, 'post'],
      ['108', 'rus', 'post'],
      ['109', 'tgk', 'post'],
    ]);
    const first = read[0];
    expect(first).toMatchObject({
      channel: 'Al-Azaim Foundation',
      channelId: '1001',
      published: '2024-01-05T10:00:00Z',
      origin: 'result.json#101',
    });
    // text given as a list of entities is joined
    expect(read[1]?.text).toMatch(/^شماره جدید مجله برای/);
    expect(
      results.filter((r) => r.status === 'skipped').map((r) => (r.status === 'skipped' ? r.reason : '')),
    ).toEqual(['service message', 'no text']);
  });

  it('names a post whose language cannot be identified, and still reads it', () => {
    const result = readTelegramExport(text, 'result.json').find(
      (r) => r.status === 'item' && r.item.messageId === '107',
    );
    expect(result?.status === 'item' && result.warnings).toEqual([
      'language not identified (5 characters); stored with no language',
    ]);
  });

  it('gives the same ids on a second read, so re-ingesting stores nothing twice', () => {
    const ids = (t: string) => items(readTelegramExport(t, 'a.json')).map((i) => i.id);
    expect(ids(text)).toEqual(ids(text));
  });

  it('salvages a truncated export: every complete message, and names where it breaks', () => {
    const cut = text.slice(0, text.indexOf('"id": 108') + 40);
    const results = readTelegramExport(cut, 'result.json');
    expect(items(results).map((i) => i.messageId)).toEqual(['101', '102', '104', '106', '107']);
    expect(items(results)[0]?.channel).toBe('Al-Azaim Foundation');
    expect(problems(results)).toEqual([
      'result.json#108: truncated export: the file ends inside this message; it is not read (the 7 messages before it were)',
    ]);
  });

  it('names a malformed message and reads the others', () => {
    const broken = text.replace('"id": 104,', '"id": 104,,');
    const results = readTelegramExport(broken, 'result.json');
    expect(items(results).map((i) => i.messageId)).toEqual(['101', '102', '106', '107', '108', '109']);
    expect(problems(results)).toHaveLength(1);
    expect(problems(results)[0]).toMatch(/^result\.json#104: malformed message: /);
  });

  it('refuses an unknown export version, naming what it found', () => {
    expect(problems(readTelegramExport('{"version": 3, "posts": []}', 'x.json'))).toEqual([
      'x.json: unknown export version: not a Telegram Desktop export (expected {name, type, id, messages} or {chats: {list}}; found top-level keys: version, posts)',
    ]);
    expect(
      problems(
        readTelegramExport('{"name": "c", "type": "megachannel", "id": 1, "messages": []}', 'x.json'),
      )[0],
    ).toMatch(/unknown export version: chat type "megachannel"/);
    const odd = JSON.stringify({
      name: 'c',
      type: 'public_channel',
      id: 1,
      messages: [
        { id: 1, type: 'message', date: '2024-01-01T00:00:00', text: { html: '<b>x</b>' } },
        { id: 2, type: 'story', date: '2024-01-01T00:00:00', text: 'x' },
        { id: 3, type: 'message', text: 'no date at all in this message' },
      ],
    });
    expect(problems(readTelegramExport(odd, 'x.json'))).toEqual([
      expect.stringMatching(/^x\.json#1: unknown export version: text: /),
      'x.json#2: unknown export version: message type "story"',
      'x.json#3: no usable date (date or date_unixtime)',
    ]);
  });

  it('reads the chats of a whole-account export', () => {
    const account = JSON.stringify({ about: '', chats: { about: '', list: [JSON.parse(text)] } });
    expect(items(readTelegramExport(account, 'result.json'))).toHaveLength(7);
  });
});

describe('media JSON Lines', () => {
  it('reads {channel, date, text, language?}, naming each bad line', async () => {
    const results = await collect(MEDIA_LINES);
    expect(items(results).map((i) => [i.channel, i.language, i.languageMethod])).toEqual([
      ['Amaq News Agency', 'arb', 'franc'],
      ['Amaq News Agency', 'eng', 'declared'],
      ['Unnamed relay', 'eng', 'franc'],
      ['Unnamed relay', 'eng', 'franc'],
    ]);
    expect(problems(results)).toEqual([
      `${MEDIA_LINES}:5: date: must be a date (YYYY-MM-DD or ISO date-time)`,
      `${MEDIA_LINES}:6: language: must be an ISO 639-1 or 639-3 code`,
      `${MEDIA_LINES}:7: invalid JSON: ${'Unexpected end of JSON input'}`,
    ]);
  });

  it('refuses a file it cannot read as media, by name', async () => {
    expect(problems(await collect('posts.csv'))).toEqual([
      "posts.csv: unsupported: cannot read '.csv' files as media; supported: .json .jsonl .xml .rss .atom .txt .md .html .htm",
    ]);
  });
});
