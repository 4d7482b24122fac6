import { extname } from 'node:path';
import { type ContentFormat, readContent } from './content.js';
import type { SourceResult } from './document.js';
import { readJsonLines } from './jsonl.js';
import { loadTextFile } from './load-file.js';
import { makeDocument } from './make-document.js';
import type { ResolvedOptions } from './options.js';

const FORMATS: Readonly<Record<string, ContentFormat | 'jsonl'>> = {
  '.txt': 'text',
  '.md': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.jsonl': 'jsonl',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

export function isSupportedFile(path: string): boolean {
  return extname(path).toLowerCase() in FORMATS;
}

/** The documents in one file, read according to its extension. */
export async function* readFileInput(path: string, options: ResolvedOptions): AsyncGenerator<SourceResult> {
  const extension = extname(path).toLowerCase();
  const format = FORMATS[extension];
  if (format === undefined) {
    const what = extension === '' ? 'a file with no extension' : `'${extension}' files`;
    yield {
      ok: false,
      input: path,
      reason: `unsupported: cannot read ${what}; supported: ${SUPPORTED_EXTENSIONS.join(' ')}`,
    };
  } else if (format === 'jsonl') {
    yield* readJsonLines(path, options);
  } else {
    yield await readWholeFile(path, format, options);
  }
}

async function readWholeFile(
  path: string,
  format: ContentFormat,
  options: ResolvedOptions,
): Promise<SourceResult> {
  const loaded = await loadTextFile(path, options.maxBytes);
  if (!loaded.ok) return { ok: false, input: path, reason: loaded.reason };
  const content = readContent(loaded.text, format);
  if (!content.ok) return { ok: false, input: path, reason: content.reason };
  return makeDocument(content.article, path, options);
}
