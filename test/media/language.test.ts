import { franc } from 'franc-min';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/sources/index.js';
import { identifyLanguage, normaliseLanguageCode } from '../../src/sources/language-id.js';
import { LANGUAGE_TEXTS } from './language-texts.js';

describe('language identification (franc-min with script and letter rules)', () => {
  it.each(Object.entries(LANGUAGE_TEXTS))('identifies every %s text', (language, texts) => {
    expect(texts.map((t) => identifyLanguage(t)?.code)).toEqual(texts.map(() => language));
  });

  it('needs the letter rules for the languages franc-min lacks: Tajik and Kyrgyz', () => {
    // franc-min has no Tajik or Kyrgyz model: it answers Uzbek, Kazakh or Azerbaijani for them.
    for (const t of [...(LANGUAGE_TEXTS.tgk ?? []), ...(LANGUAGE_TEXTS.kir ?? [])]) {
      expect(['tgk', 'kir']).not.toContain(franc(t, { minLength: 20 }));
      expect(identifyLanguage(t)?.method).toBe('script');
    }
  });

  it('tells Pashto and Urdu by their letters, and Persian from Arabic with franc', () => {
    expect(identifyLanguage(LANGUAGE_TEXTS.pbu?.[1] ?? '')).toEqual({ code: 'pbu', method: 'script' });
    expect(identifyLanguage(LANGUAGE_TEXTS.urd?.[1] ?? '')).toEqual({ code: 'urd', method: 'script' });
    expect(identifyLanguage(LANGUAGE_TEXTS.pes?.[0] ?? '')).toEqual({ code: 'pes', method: 'franc' });
  });

  it('does not identify what is too short or has no letters', () => {
    expect(identifyLanguage('🔥🔥🔥 ✊')).toBeNull();
    expect(identifyLanguage('https://t.me/x @channel #tag 2024')).toBeNull();
    expect(detectLanguage('Ok.')).toBeNull();
  });

  it('is what documents get too: English stays English', () => {
    expect(
      detectLanguage('Gunmen attacked a concert hall in Moscow on Friday, killing at least 139 people.'),
    ).toBe('eng');
    expect(detectLanguage(LANGUAGE_TEXTS.tgk?.[0] ?? '')).toBe('tgk');
  });

  it('reads declared codes in ISO 639-1 or 639-3, Dari as Persian', () => {
    expect(normaliseLanguageCode('ru')).toBe('rus');
    expect(normaliseLanguageCode('prs')).toBe('pes');
    expect(normaliseLanguageCode('uzb')).toBe('uzn');
    expect(normaliseLanguageCode('TG')).toBe('tgk');
    expect(normaliseLanguageCode('russian')).toBeNull();
  });
});
