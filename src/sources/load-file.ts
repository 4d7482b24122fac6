import { readFile, stat } from 'node:fs/promises';
import { type Decoded, decodeText } from './decode.js';
import { describeFsError } from './fs-errors.js';

/** The text of a file no larger than maxBytes; size is checked before reading so a huge file costs nothing. */
export async function loadTextFile(path: string, maxBytes: number): Promise<Decoded> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes) return { ok: false, reason: tooLarge(size, maxBytes) };
    return decodeText(await readFile(path));
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
}

export function tooLarge(size: number, maxBytes: number): string {
  return `too large: ${size} bytes, over the limit of ${maxBytes} bytes`;
}
