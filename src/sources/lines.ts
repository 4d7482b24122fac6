import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { checkNotBinary } from './decode.js';
import { describeFsError } from './fs-errors.js';

/** One non-blank line of a text file with its 1-based number, or why the file cannot be read. */
export type NumberedLine = { readonly n: number; readonly text: string } | { readonly error: string };

/**
 * The non-blank lines of a JSON Lines (or any line-based) file, streamed so a huge file never sits in
 * memory. A binary, missing, unreadable or empty file gives one error and ends the stream.
 */
export async function* numberedLines(path: string): AsyncGenerator<NumberedLine> {
  const problem = await checkHead(path);
  if (problem !== null) {
    yield { error: problem };
    return;
  }
  let n = 0;
  let sawLine = false;
  try {
    const lines = createInterface({
      input: createReadStream(path, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      n += 1;
      if (line.trim() === '') continue;
      sawLine = true;
      yield { n, text: n === 1 ? line.replace(/^\uFEFF/, '') : line };
    }
  } catch (error) {
    yield { error: `${describeFsError(error)} after line ${n}` };
    return;
  }
  if (!sawLine) yield { error: 'empty file' };
}

/** The binary check on the first 8 KB, done before streaming so a binary file gives one error, not thousands. */
async function checkHead(path: string): Promise<string | null> {
  try {
    const file = await open(path);
    try {
      const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(8 * 1024) });
      return checkNotBinary(buffer.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  } catch (error) {
    return describeFsError(error);
  }
}
