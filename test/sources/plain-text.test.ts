import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readOne, tempFiles } from './helpers.js';

describe('plain text and markdown files', () => {
  it('reads the whole file as the text, normalised, with the path as origin', async () => {
    const dir = await tempFiles({ 'a.txt': `${ENGLISH}  \r\n\r\n\r\n\r\nSecond paragraph.\r\n` });
    const path = join(dir, 'a.txt');
    expect(await readOne(path)).toEqual({
      ok: true,
      document: expect.objectContaining({
        text: `${ENGLISH}\n\nSecond paragraph.`,
        title: null,
        url: null,
        outlet: null,
        published: null,
        language: 'eng',
        origin: path,
      }),
    });
  });

  it('takes the title from a leading "# " heading and keeps it in the text', async () => {
    const dir = await tempFiles({ 'a.md': `# Market bombing kills five\n\n${ENGLISH}\n` });
    const result = await readOne(join(dir, 'a.md'));
    expect(result).toMatchObject({ ok: true, document: { title: 'Market bombing kills five' } });
    expect(result.ok && result.document.text.startsWith('# Market bombing kills five\n\n')).toBe(true);
  });

  it('leaves the title null when a short first line is not a heading', async () => {
    const dir = await tempFiles({ 'a.txt': `Market bombing kills five\n\n${ENGLISH}` });
    expect(await readOne(join(dir, 'a.txt'))).toMatchObject({ ok: true, document: { title: null } });
  });
});
