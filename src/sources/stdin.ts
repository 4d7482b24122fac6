import { readContent } from './content.js';
import { decodeText } from './decode.js';
import type { SourceResult } from './document.js';
import { makeDocument } from './make-document.js';
import type { ResolvedOptions } from './options.js';

const STDIN = 'stdin';

/** All of stdin as one document: HTML when it opens with a tag, plain text or markdown otherwise. */
export async function readStdin(options: ResolvedOptions): Promise<SourceResult> {
  const fail = (reason: string): SourceResult => ({ ok: false, input: STDIN, reason });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of options.stdin) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      size += bytes.length;
      // Stop early: the size of a pipe is not known in advance, and holding it all would defeat the limit.
      if (size > options.maxBytes) return fail(`too large: over the limit of ${options.maxBytes} bytes`);
      chunks.push(bytes);
    }
  } catch (error) {
    return fail(`cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoded = decodeText(Buffer.concat(chunks), 'empty input');
  if (!decoded.ok) return fail(decoded.reason);
  const content = readContent(decoded.text, 'sniff');
  if (!content.ok) return fail(content.reason);
  return makeDocument(content.article, STDIN, options);
}
