/* How a cursor could reveal a value, and how to tamper with one: helpers of cursors.test.ts, tested in
 * helpers.test.ts. */

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const printable = (s: string) =>
  s.length > 0 && [...s].filter((c) => c >= ' ' && c <= '~').length / s.length >= 0.9;

/** The texts a cursor may carry in readable form: itself when it is not pure base64url, and the
 * readable decodings (base64url, base64, hex) of it and of each of its base64url runs. */
export function readableForms(cursor: string): string[] {
  const forms: string[] = [];
  if (/[^A-Za-z0-9_=-]/.test(cursor)) forms.push(cursor);
  for (const part of new Set([cursor, ...(cursor.match(/[A-Za-z0-9_-]{4,}/g) ?? [])])) {
    const decodings = [Buffer.from(part, 'base64url'), Buffer.from(part, 'base64')];
    if (/^(?:[0-9a-f]{2})+$/i.test(part)) decodings.push(Buffer.from(part, 'hex'));
    for (const bytes of decodings) {
      const text = bytes.toString('latin1');
      if (text.length >= 4 && printable(text)) forms.push(text);
    }
  }
  return forms;
}

/** Ways a value can be written: as is, lower case, and for a date its compact and epoch forms. */
function writings(value: string | number): string[] {
  const s = String(value);
  const out = new Set([s, s.toLowerCase()]);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    out.add(s.slice(0, 10).replaceAll('-', ''));
    const t = Date.parse(s);
    if (!Number.isNaN(t)) {
      out.add(String(t));
      out.add(String(Math.floor(t / 1000)));
    }
  }
  return [...out];
}

/** The values a cursor reveals: those of `values` written, as a whole token, in a readable form. */
export function revealed(cursor: string, values: readonly (string | number)[]): string[] {
  const forms = readableForms(cursor).map((f) => f.toLowerCase());
  const found = new Set<string>();
  for (const value of values) {
    for (const w of writings(value)) {
      const token = new RegExp(
        `(^|[^a-z0-9])${w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`,
      );
      if (forms.some((f) => token.test(f))) found.add(String(value));
    }
  }
  return [...found];
}

/** The cursor with character `at` changed: a base64url character to the one whose top bit differs
 * (always a bit of data, also in the last character), anything else to 'A'. */
export function flip(cursor: string, at: number): string {
  const c = cursor[at] as string;
  const n = B64URL.indexOf(c);
  const replacement = n >= 0 ? (B64URL[n ^ 32] as string) : 'A';
  return cursor.slice(0, at) + replacement + cursor.slice(at + 1);
}
