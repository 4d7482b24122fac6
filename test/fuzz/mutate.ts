import fc from 'fast-check';

/** `npm run soak` sets VIGIL_SOAK=1: twenty times the fuzz runs of CI. */
export const SOAK = process.env.VIGIL_SOAK === '1';
export const runs = (n: number) => (SOAK ? n * 20 : n);
/** Every input, however hostile, is handled within this time (the bound). */
export const PER_INPUT_MS = 2000;

/** Fragments hostile to parsers of markup, JSON and SQL, spliced into real inputs. */
export const HOSTILE = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&#99999999999;',
  '&lol9;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
  '<!ENTITY % p SYSTEM "file:///etc/passwd">',
  '<?xml version="1.0" encoding="utf-16"?>',
  '<script>alert(1)</script>',
  '</script>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)">',
  '<div>'.repeat(300),
  '<b>'.repeat(300),
  '<table><tr><td>',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\u2028\u2029',
  '\r\n',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  '{"text":',
  'null',
  '1e999',
  '-0',
  "' OR 1=1 --",
  '"; DROP TABLE documents; --',
  '%00',
  '../../../../etc/passwd',
  'x'.repeat(5000),
];

export type Mutation =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly kind: 'truncate'; readonly at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40, unit: 'binary' })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: position,
    length: fc.integer({ min: 1, max: 200 }),
    times: fc.integer({ min: 2, max: 20 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

export function applyMutations(base: string, mutations: readonly Mutation[]): string {
  let text = base;
  for (const m of mutations) {
    const at = Math.floor(m.at * text.length);
    switch (m.kind) {
      case 'insert':
        text = text.slice(0, at) + m.text + text.slice(at);
        break;
      case 'delete':
        text = text.slice(0, at) + text.slice(at + m.length);
        break;
      case 'duplicate':
        text = text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at + m.length);
        break;
      case 'truncate':
        text = text.slice(0, at);
        break;
    }
  }
  return text;
}

/** A real input with a few mutations, some of them hostile fragments. */
export function mutated(bases: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([base, ms]) => applyMutations(base, ms));
}

/** Runs `work` and fails if it took longer than the bound; returns its value. */
export function timed<T>(what: string, work: () => T): T {
  const start = performance.now();
  const value = work();
  const ms = performance.now() - start;
  if (ms > PER_INPUT_MS) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${PER_INPUT_MS} ms)`);
  return value;
}

export async function timedAsync<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  if (ms > PER_INPUT_MS) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${PER_INPUT_MS} ms)`);
  return value;
}
