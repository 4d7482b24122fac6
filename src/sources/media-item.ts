import { createHash } from 'node:crypto';
import type { LanguageMethod } from './language-id.js';

/** What a media item is: a channel post, a statement, a magazine issue, a video's description. */
export const MEDIA_KINDS = ['post', 'statement', 'magazine', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * One piece of a group's media output as read from a source, before attribution. The text is here
 * for attribution and language identification; whether it is kept is the store's decision (off by
 * default: Vigil never republishes propaganda).
 */
export interface MediaItem {
  /** sha256 (hex) of the channel and the message id (exports), else of the channel and the text. */
  readonly id: string;
  /** The channel, outlet or media arm as the source names it ("Al-Azaim Foundation"). */
  readonly channel: string;
  /** The channel's own id in its platform (Telegram chat id), or null. */
  readonly channelId: string | null;
  /** The message id in its channel (Telegram message id, JSON Lines `id`), or null. */
  readonly messageId: string | null;
  readonly kind: MediaKind;
  /** ISO 8601 date or date-time of publication, or null. */
  readonly published: string | null;
  /** ISO 639-3 code, or null when it could not be identified. */
  readonly language: string | null;
  readonly languageMethod: LanguageMethod | null;
  readonly title: string | null;
  readonly text: string;
  /** Where it came from: `file#message id` for exports, `file:line` for JSON Lines, the path for a file. */
  readonly origin: string;
}

/** One result of reading media: an item (with warnings such as an unidentified language), an input
 * that was refused (named, with the reason), or one skipped on purpose (a service message, a post
 * with no text). */
export type MediaResult =
  | { readonly status: 'item'; readonly item: MediaItem; readonly warnings: readonly string[] }
  | { readonly status: 'error'; readonly input: string; readonly reason: string }
  | { readonly status: 'skipped'; readonly input: string; readonly reason: string };

export function mediaItemId(parts: readonly (string | null)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\n'), 'utf8')
    .digest('hex');
}
