const SNIFF_BYTES = 8 * 1024;

export type Decoded =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string };

/** Bytes checked for looking binary (NUL or invalid UTF-8 in the first 8 KB) before decoding. */
export function checkNotBinary(head: Uint8Array): string | null {
  const sniff = head.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) return 'binary file (NUL bytes in the first 8 KB), not text';
  try {
    // stream: a multi-byte character cut at the 8 KB mark is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sniff, { stream: true });
    return null;
  } catch {
    return 'binary file (invalid UTF-8 in the first 8 KB), not text';
  }
}

/** UTF-8 text of a whole input, or why it is not usable text (binary, not UTF-8, empty). */
export function decodeText(bytes: Uint8Array, emptyReason = 'empty file'): Decoded {
  const binary = checkNotBinary(bytes);
  if (binary !== null) return { ok: false, reason: binary };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  return text.trim() === '' ? { ok: false, reason: emptyReason } : { ok: true, text };
}
