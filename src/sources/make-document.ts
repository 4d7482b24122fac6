import type { SourceResult } from './document.js';
import { detectLanguage } from './language.js';
import { documentId, normaliseText, withoutControls } from './normalise.js';
import type { ResolvedOptions } from './options.js';

/** What a reader found; missing fields are null or absent. */
export interface FoundArticle {
  readonly text: string;
  readonly title?: string | null | undefined;
  readonly url?: string | null | undefined;
  readonly outlet?: string | null | undefined;
  readonly published?: string | null | undefined;
}

/** The document for one article, with the options' outlet and date filling only what it lacks. */
export function makeDocument(found: FoundArticle, origin: string, options: ResolvedOptions): SourceResult {
  const text = normaliseText(found.text);
  if (text === '') return { ok: false, input: origin, reason: 'no text' };
  return {
    ok: true,
    document: {
      id: documentId(text),
      text,
      title: present(found.title),
      url: present(found.url),
      outlet: present(found.outlet) ?? present(options.outlet),
      published: present(found.published) ?? present(options.published),
      language: detectLanguage(text),
      origin,
    },
  };
}

function present(value: string | null | undefined): string | null {
  return withoutControls(value ?? '').trim() || null;
}
