import { franc } from 'franc-min';

/** ISO 639-3 code of the text's language, or null when franc cannot tell (too short, or `und`). */
export function detectLanguage(text: string): string | null {
  const code = franc(text, { minLength: 20 });
  return code === 'und' ? null : code;
}
