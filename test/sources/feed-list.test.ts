import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInterval, readFeedList } from '../../src/sources/feed-list.js';
import { tempFiles } from './helpers.js';

async function list(yaml: string) {
  const dir = await tempFiles({ 'feeds.yaml': yaml });
  return readFeedList(join(dir, 'feeds.yaml'), 900);
}

describe('a watch list of feeds (YAML)', () => {
  it('reads {interval, feeds}: URLs or {url, interval, outlet}, the list interval as default', async () => {
    expect(
      await list(`interval: 10m
feeds:
  - url: https://example.org/feed.xml
    interval: 5m
    outlet: Example News
  - https://news.example.net/rss
`),
    ).toEqual({
      ok: true,
      feeds: [
        { url: 'https://example.org/feed.xml', interval: 300, outlet: 'Example News' },
        { url: 'https://news.example.net/rss', interval: 600, outlet: null },
      ],
    });
  });

  it('reads a bare list, with the default interval', async () => {
    expect(await list('- https://example.org/a.xml\n')).toEqual({
      ok: true,
      feeds: [{ url: 'https://example.org/a.xml', interval: 900, outlet: null }],
    });
  });

  it.each([
    ['feeds:\n  - url: ftp://example.org/x\n', 'feeds[0].url: must be an http:// or https:// URL'],
    [
      '- url: https://example.org/x\n  interval: 2s\n',
      "[0].interval: '2s' is not an interval of at least 10 s",
    ],
    ['- url: https://example.org/x\n  colour: red\n', '[0]: Unrecognized key: "colour"'],
    ['feeds: []\n', 'lists no feeds'],
    ['just text\n', 'expected a list of feeds'],
    ['- https://example.org/x\n- https://example.org/x\n', 'lists https://example.org/x twice'],
    ['feeds: [\n', 'invalid YAML'],
  ])('refuses %j: %s', async (yaml, reason) => {
    const result = await list(yaml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('reads intervals in seconds, minutes, hours and days', () => {
    expect([parseInterval('90'), parseInterval('30s'), parseInterval('5m'), parseInterval('1h')]).toEqual([
      90, 30, 300, 3600,
    ]);
    expect(parseInterval(86400)).toBe(86400);
    expect(parseInterval('5')).toBeNull();
    expect(parseInterval('soon')).toBeNull();
  });
});
