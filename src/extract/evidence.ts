import type { AnnotatedSentence } from './annotate.js';
import type { Evidence } from './types.js';

/** Evidence for tokens [from, to) of a sentence. */
export function evidenceOf(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
  from: number,
  to: number,
): Evidence {
  const tokens = s.sentence.tokens;
  const start = tokens[from]?.start ?? s.sentence.start;
  const end = tokens[Math.max(from, to - 1)]?.end ?? s.sentence.end;
  return { documentId, start, end, text: text.slice(start, end), sentence: s.sentence.text };
}
