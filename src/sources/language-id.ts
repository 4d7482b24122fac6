import { franc } from 'franc-min';

/**
 * Language identification for documents and media items: franc-min, helped by the script and by
 * letters only some languages write.
 *
 * franc-min knows the 82 most widely spoken languages. Of those Vigil must tell apart it has Russian
 * (`rus`), Kazakh (`kaz`), Uzbek (`uzn`, Latin and Cyrillic), Pashto (`pbu`), Persian (`pes`), Urdu
 * (`urd`), Arabic (`arb`), Turkish (`tur`), French (`fra`), Spanish (`spa`) and English (`eng`), but
 * not Tajik (`tgk`) or Kyrgyz (`kir`): it reads Tajik as Uzbek and Kyrgyz as Uzbek or Kazakh. Dari is
 * written like Iranian Persian and both come out as `pes` (no word list tells them apart reliably in
 * a short post). So, before franc:
 *
 * - Cyrillic: letters only one of these languages writes decide it — Tajik ӣ ӯ ҷ; Kazakh ә ұ (or і һ with
 *   ң ғ қ ө ү: і alone is also Ukrainian); Uzbek ў with қ ғ ҳ (ў alone is also Belarusian); Kyrgyz writes ң ө ү but none of Kazakh's ә ғ қ ұ һ і. Text with several of Tajik's ҳ қ ғ
 *   and no ў is Tajik when its function words are ("ва", "дар", "ки", "аз", "бо", "барои"). Otherwise
 *   franc chooses among the Cyrillic languages only.
 * - Arabic script: Pashto letters (ټ ډ ړ ږ ښ ګ ڼ ځ څ ې ۍ) make it Pashto, Urdu ones (ٹ ڈ ڑ ں ے) Urdu;
 *   between Arabic and Persian franc decides (restricted to the two), else Persian letters
 *   (پ چ ژ گ ک ی) make it Persian and their absence Arabic.
 * - Latin: Uzbek's oʻ and gʻ (written with ʻ ‘ ’ or ') twice or more make it Uzbek; else franc.
 *
 * Text under 10 letters is not identified; franc needs 20 characters.
 */

export type LanguageMethod = 'script' | 'franc' | 'declared';

export interface LanguageGuess {
  /** ISO 639-3 code (franc's codes: `uzn` for Uzbek, `pes` for Persian and Dari, `arb` for Arabic). */
  readonly code: string;
  /** How it was told: by letters only that language writes, by franc, or as the source declared it. */
  readonly method: LanguageMethod;
}

/** English names of the codes Vigil reports, for tables. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  rus: 'Russian',
  tgk: 'Tajik',
  uzn: 'Uzbek',
  kaz: 'Kazakh',
  kir: 'Kyrgyz',
  pbu: 'Pashto',
  pes: 'Persian (Dari/Farsi)',
  urd: 'Urdu',
  arb: 'Arabic',
  tur: 'Turkish',
  fra: 'French',
  spa: 'Spanish',
  eng: 'English',
  deu: 'German',
  ukr: 'Ukrainian',
  hin: 'Hindi',
  ind: 'Indonesian',
  hau: 'Hausa',
  som: 'Somali',
  ckb: 'Kurdish (Sorani)',
  azj: 'Azerbaijani',
});

/** Other ways sources name a language (ISO 639-1, 639-3 macrolanguages) → Vigil's code. */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({
  ru: 'rus',
  tg: 'tgk',
  uz: 'uzn',
  uzb: 'uzn',
  kk: 'kaz',
  ky: 'kir',
  ps: 'pbu',
  pus: 'pbu',
  fa: 'pes',
  fas: 'pes',
  per: 'pes',
  prs: 'pes',
  ur: 'urd',
  ar: 'arb',
  ara: 'arb',
  tr: 'tur',
  fr: 'fra',
  fre: 'fra',
  es: 'spa',
  en: 'eng',
  de: 'deu',
  ger: 'deu',
  uk: 'ukr',
  hi: 'hin',
  id: 'ind',
  ha: 'hau',
  so: 'som',
  az: 'azj',
});

/** A declared language (`ru`, `rus`, `fa`, `prs` …) as Vigil's code, or null when it is not a code. */
export function normaliseLanguageCode(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (!/^[a-z]{2,3}$/.test(v)) return null;
  return ALIASES[v] ?? (v.length === 3 ? v : null);
}

const MIN_LETTERS = 10;
const FRANC_MIN_LENGTH = 20;

const CYRILLIC_LANGUAGES = ['rus', 'ukr', 'bel', 'bul', 'srp', 'kaz', 'uzn', 'koi', 'bos'];
const ARABIC_LANGUAGES = ['arb', 'pes'];

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Letters and words that only appear in what Vigil reads: URLs, handles, hashtags, digits are noise. */
function cleaned(text: string): string {
  return text
    .replace(/https?:\/\/\S+/gu, ' ')
    .replace(/[@#][\p{L}\p{N}_]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The language of a text, or null when it is too short or franc cannot tell. */
export function identifyLanguage(text: string): LanguageGuess | null {
  const t = cleaned(text);
  const cyrillic = count(t, /\p{Script=Cyrillic}/gu);
  const arabic = count(t, /\p{Script=Arabic}/gu);
  const latin = count(t, /\p{Script=Latin}/gu);
  const letters = count(t, /\p{L}/gu);
  if (letters < MIN_LETTERS) return null;
  if (cyrillic >= arabic && cyrillic >= latin && cyrillic > letters / 2) {
    const byLetters = cyrillicByLetters(t.toLowerCase());
    if (byLetters) return { code: byLetters, method: 'script' };
    return francGuess(t, CYRILLIC_LANGUAGES);
  }
  if (arabic >= latin && arabic > letters / 2) {
    const byLetters = arabicByLetters(t);
    if (byLetters) return { code: byLetters, method: 'script' };
    const guess = francGuess(t, ARABIC_LANGUAGES);
    if (guess) return guess;
    return { code: /[پچژگکی]/u.test(t) ? 'pes' : 'arb', method: 'script' };
  }
  if (
    latin > letters / 2 &&
    count(t, /[oOgG][ʻ‘’'`]/gu) >= 2 &&
    /\b(va|bilan|uchun|ham|emas|edi)\b/iu.test(t)
  )
    return { code: 'uzn', method: 'script' };
  return francGuess(t);
}

function francGuess(text: string, only?: readonly string[]): LanguageGuess | null {
  if (text.length < FRANC_MIN_LENGTH) return null;
  const code = franc(
    text,
    only ? { minLength: FRANC_MIN_LENGTH, only: [...only] } : { minLength: FRANC_MIN_LENGTH },
  );
  return code === 'und' ? null : { code, method: 'franc' };
}

const TAJIK_WORDS = /(?:^|[^\p{L}])(ва|дар|ки|аз|бо|барои|мебошад|мекунем|шуд|ҳам|низ)(?=[^\p{L}]|$)/gu;

function cyrillicByLetters(t: string): string | null {
  if (/[ӣӯҷ]/u.test(t)) return 'tgk';
  // і alone is Ukrainian or Belarusian too, ў alone Belarusian.
  if (/[әұ]/u.test(t) || (/[іһ]/u.test(t) && /[ңғқөү]/u.test(t))) return 'kaz';
  if (/ў/u.test(t) && /[қғҳ]/u.test(t)) return 'uzn';
  const kyrgyz = count(t, /[ңөү]/gu);
  const tajikish = count(t, /[ҳқғ]/gu);
  if (kyrgyz > 0 && tajikish === 0) return 'kir';
  if (tajikish >= 2 && kyrgyz === 0 && count(t, TAJIK_WORDS) >= 2) return 'tgk';
  return null;
}

function arabicByLetters(t: string): string | null {
  if (/[ټډړږښګڼځڅېۍ]/u.test(t)) return 'pbu';
  if (/[ٹڈڑںےۓ]/u.test(t)) return 'urd';
  return null;
}
