import { identifyLanguage } from './language-id.js';

/** ISO 639-3 code of the text's language, or null when it cannot be told (too short, or `und`).
 * franc-min, with the script and letter rules of `language-id.ts` for the languages it lacks (Tajik,
 * Kyrgyz) or confuses in short texts. */
export function detectLanguage(text: string): string | null {
  return identifyLanguage(text)?.code ?? null;
}
