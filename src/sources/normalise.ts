import { createHash } from 'node:crypto';

/* U+0000 never enters the store: PostgreSQL text cannot hold it and no article means one. Neither do
 * the other C0 controls but tab and line ends (debris of encodings and copy-paste). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** A title, URL or outlet as read from a source, without control characters but tab and line ends. */
export function withoutControls(value: string): string {
  return value.replace(CONTROLS, '');
}

/**
 * Canonical form of article text: NFC, no control characters but tab and line ends (vertical tab and
 * form feed end a line, so the words on either side stay apart), LF line ends, no trailing spaces,
 * paragraphs separated by exactly one blank line, no surrounding whitespace.
 */
export function normaliseText(raw: string): string {
  return withoutControls(raw.normalize('NFC').replace(/[\v\f]/g, '\n'))
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * sha256 (hex) of the normalised text, lower-cased with whitespace runs collapsed, so the same
 * article re-wrapped or re-cased by another feed is one document.
 */
export function documentId(text: string): string {
  const key = normaliseText(text).toLowerCase().replace(/\s+/g, ' ');
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of a text held under a marking (`holding`: src/tlp/marking.ts `holdingKey`): the same text
 * held by another organisation or under another marking is another document, so that no one can
 * reach, re-mark or confirm another's copy by posting its text. The local CLI's unmarked documents
 * keep `documentId`. */
export function heldDocumentId(text: string, holding: string): string {
  const key = normaliseText(text).toLowerCase().replace(/\s+/g, ' ');
  return createHash('sha256').update(`held\u0000${holding}\u0000`, 'utf8').update(key, 'utf8').digest('hex');
}
