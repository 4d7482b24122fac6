import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readOne, tempFiles } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/article-with-boilerplate.html', import.meta.url));

describe('HTML files', () => {
  it('extracts the article text and leaves out navigation, sidebars, footers and scripts', async () => {
    const result = await readOne(fixture);
    if (!result.ok) throw new Error(result.reason);
    const { text } = result.document;
    expect(text).toContain(
      'A car bomb exploded near a crowded market in the city centre on Saturday morning',
    );
    expect(text).toContain('said one shopkeeper');
    for (const boilerplate of [
      'SUBSCRIBE-NAV-LINK',
      'CELEBRITY-SIDEBAR',
      'FOOTER-COPYRIGHT',
      'SCRIPT-TEXT',
      'color: red',
    ]) {
      expect(text).not.toContain(boilerplate);
    }
  });

  it('keeps paragraph breaks as blank lines and HTML line wrapping as spaces', async () => {
    const result = await readOne(fixture);
    if (!result.ok) throw new Error(result.reason);
    const paragraphs = result.document.text.split('\n\n');
    expect(paragraphs).toContain(
      'A car bomb exploded near a crowded market in the city centre on Saturday morning, killing five ' +
        'people and wounding at least twelve others, police officials said.',
    );
    expect(paragraphs).toContain(
      '"We heard a huge explosion and then everyone was running," said one shopkeeper.',
    );
  });

  it('reads the title, outlet, canonical url and published date the page states', async () => {
    expect(await readOne(fixture)).toMatchObject({
      ok: true,
      document: {
        title: expect.stringContaining('Car bomb kills five at city market'),
        outlet: 'Daily Courier',
        url: 'https://courier.example/world/market-bomb',
        published: '2024-03-02T09:30:00Z',
        language: 'eng',
        origin: fixture,
      },
    });
  });

  it('takes the published date from <time datetime> when there is no meta tag', async () => {
    const html = `<html><body><article><time datetime="2023-11-05">5 Nov</time><p>${ENGLISH}</p></article></body></html>`;
    const dir = await tempFiles({ 'a.htm': html });
    expect(await readOne(join(dir, 'a.htm'))).toMatchObject({
      ok: true,
      document: { published: '2023-11-05', url: null, outlet: null },
    });
  });

  it('ignores a stated date that is not a date', async () => {
    const html = `<html><head><meta property="article:published_time" content="last Tuesday"></head><body><p>${ENGLISH}</p></body></html>`;
    const dir = await tempFiles({ 'a.html': html });
    expect(await readOne(join(dir, 'a.html'))).toMatchObject({ ok: true, document: { published: null } });
  });
});
