/* Content-Disposition for every file Vigil sends. A filename can carry a group name as the caller
 * typed it, so it is never written into the header as is: a non-Latin-1 character made Node refuse
 * the header (a 500), and `"; filename="x.html` added a second filename. (The `content-disposition`
 * package in node_modules is only a dependency of @fastify/static and needs Node 22, so not used.) */

/** RFC 5987 attr-char: what `filename*` may carry unencoded. */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

/** Replaced in the quoted `filename`: anything outside printable ASCII, and what could end the quoted
 * string, escape in it, start another parameter or be percent-decoded by a browser. */
const UNSAFE_IN_QUOTES = /[^\x20-\x7e]|["\\;%]/gu;

/** `type; filename="<ASCII fallback>"; filename*=UTF-8''<the name, percent-encoded>` (RFC 6266). */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(UNSAFE_IN_QUOTES, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeExtended(filename)}`;
}

/** The name's UTF-8 bytes, percent-encoded but for attr-chars (a lone surrogate becomes U+FFFD). */
function encodeExtended(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
