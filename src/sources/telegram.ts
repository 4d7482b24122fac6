import { z } from 'zod';
import { identifyLanguage } from './language-id.js';
import { type MediaKind, type MediaResult, mediaItemId } from './media-item.js';
import { normaliseText, withoutControls } from './normalise.js';

/**
 * Telegram Desktop's JSON export (`result.json`), read into media items.
 *
 * Two shapes are known: the export of one chat or channel, `{name, type, id, messages: [...]}`, and
 * the export of a whole account, whose chats are under `chats.list` (and `left_chats.list`). A
 * message is `{id, type: "message" | "service", date, date_unixtime?, from?, text, media_type?,
 * mime_type?, ...}`, its `text` a string or a list of strings and `{type, text}` entities. Anything
 * else is an unknown export version and is refused with what was found.
 *
 * A file that is not valid JSON (cut off mid-download, say) is salvaged: every complete message of
 * the `messages` list is read, and the message where it breaks is named; no part of a message is
 * ever used.
 */

export const CHAT_TYPES = [
  'personal_chat',
  'bot_chat',
  'private_group',
  'private_supergroup',
  'public_supergroup',
  'private_channel',
  'public_channel',
  'saved_messages',
] as const;

const entity = z.union([z.string(), z.object({ type: z.string(), text: z.string() }).loose()]);
const messageSchema = z
  .object({
    id: z.number().int(),
    type: z.string(),
    date: z.string().optional(),
    date_unixtime: z.string().regex(/^\d+$/).optional(),
    text: z.union([z.string(), z.array(entity)]).optional(),
    media_type: z.string().optional(),
    mime_type: z.string().optional(),
    title: z.string().optional(),
  })
  .loose();
type Message = z.infer<typeof messageSchema>;

interface ChatHead {
  readonly name: string;
  readonly id: string | null;
  readonly type: string | null;
}

/** Media items of one Telegram export file, one result per message (and one per problem). */
export function readTelegramExport(text: string, path: string): MediaResult[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return salvage(text, path, error instanceof Error ? error.message : String(error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [unknownVersion(path, value)];
  const root = value as Record<string, unknown>;
  if (Array.isArray(root.messages)) return readChat(root, path, '');
  const lists = [root.chats, root.left_chats]
    .map((c) => (typeof c === 'object' && c !== null ? (c as Record<string, unknown>).list : undefined))
    .filter((l): l is unknown[] => Array.isArray(l));
  if (lists.length === 0) return [unknownVersion(path, value)];
  const results: MediaResult[] = [];
  lists.flat().forEach((chat, i) => {
    if (
      typeof chat !== 'object' ||
      chat === null ||
      !Array.isArray((chat as { messages?: unknown }).messages)
    ) {
      results.push({ status: 'error', input: `${path} chat ${i}`, reason: 'chat without a "messages" list' });
      return;
    }
    results.push(...readChat(chat as Record<string, unknown>, path, `chat ${i} `));
  });
  return results;
}

function unknownVersion(path: string, value: unknown): MediaResult {
  const found =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? `top-level keys: ${Object.keys(value).slice(0, 8).join(', ') || 'none'}`
      : `a JSON ${Array.isArray(value) ? 'array' : typeof value}`;
  return {
    status: 'error',
    input: path,
    reason: `unknown export version: not a Telegram Desktop export (expected {name, type, id, messages} or {chats: {list}}; found ${found})`,
  };
}

function headOf(chat: Record<string, unknown>): ChatHead {
  const id = chat.id;
  return {
    name: typeof chat.name === 'string' && chat.name.trim() !== '' ? chat.name.trim() : 'unnamed chat',
    id: typeof id === 'number' || typeof id === 'string' ? String(id) : null,
    type: typeof chat.type === 'string' ? chat.type : null,
  };
}

function readChat(chat: Record<string, unknown>, path: string, label: string): MediaResult[] {
  const head = headOf(chat);
  const results: MediaResult[] = [];
  if (head.type !== null && !(CHAT_TYPES as readonly string[]).includes(head.type)) {
    return [
      {
        status: 'error',
        input: `${path} ${label}`.trim(),
        reason: `unknown export version: chat type "${head.type}" (known: ${CHAT_TYPES.join(', ')})`,
      },
    ];
  }
  (chat.messages as unknown[]).forEach((message, i) => {
    results.push(readMessage(message, head, path, i));
  });
  return results;
}

/** Where a message is named in messages: `file#id`, or `file message N` when it has no usable id. */
function messageOrigin(path: string, message: unknown, index: number): string {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? `${path}#${id}` : `${path} message ${index + 1}`;
}

function readMessage(raw: unknown, head: ChatHead, path: string, index: number): MediaResult {
  const origin = messageOrigin(path, raw, index);
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
    return { status: 'error', input: origin, reason: `unknown export version: ${issues.join('; ')}` };
  }
  const m = parsed.data;
  if (m.type === 'service') return { status: 'skipped', input: origin, reason: 'service message' };
  if (m.type !== 'message')
    return { status: 'error', input: origin, reason: `unknown export version: message type "${m.type}"` };
  const published = dateOf(m);
  if (published === undefined)
    return { status: 'error', input: origin, reason: 'no usable date (date or date_unixtime)' };
  const text = normaliseText(textOf(m.text));
  if (text === '') return { status: 'skipped', input: origin, reason: 'no text' };
  const language = identifyLanguage(text);
  return {
    status: 'item',
    item: {
      id: mediaItemId(['telegram', head.id ?? head.name, String(m.id)]),
      channel: withoutControls(head.name),
      channelId: head.id,
      messageId: String(m.id),
      kind: kindOf(m),
      published,
      language: language?.code ?? null,
      languageMethod: language?.method ?? null,
      title: withoutControls(m.title ?? '').trim() || null,
      text,
      origin,
    },
    warnings: language ? [] : [unidentified(text)],
  };
}

export function unidentified(text: string): string {
  return `language not identified (${[...text].length} characters); stored with no language`;
}

function textOf(text: Message['text']): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text.map((e) => (typeof e === 'string' ? e : e.text)).join('');
}

/** UTC from `date_unixtime` when the export has it (newer versions); else `date`, local time as exported. */
function dateOf(m: Message): string | null | undefined {
  if (m.date_unixtime !== undefined) {
    const d = new Date(Number(m.date_unixtime) * 1000);
    if (!Number.isNaN(d.getTime())) return d.toISOString().replace('.000Z', 'Z');
  }
  if (
    m.date !== undefined &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(m.date) &&
    !Number.isNaN(Date.parse(m.date))
  )
    return m.date;
  return undefined;
}

function kindOf(m: Message): MediaKind {
  if (m.media_type === 'video_file' || m.media_type === 'animation') return 'video';
  if (m.mime_type === 'application/pdf') return 'magazine';
  return 'post';
}

/* Salvage of a file that is not valid JSON: the chat's head from its first fields, then each complete
 * object of its `messages` list, scanned with string and escape awareness. */

function salvage(text: string, path: string, problem: string): MediaResult[] {
  const start = /"messages"\s*:\s*\[/.exec(text);
  if (!start) {
    return [
      {
        status: 'error',
        input: path,
        reason: `not valid JSON (${problem}) and no "messages" list to salvage`,
      },
    ];
  }
  const prefix = text.slice(0, start.index);
  const field = (name: string, pattern: string) =>
    new RegExp(`^\\s*\\{[\\s\\S]*?"${name}"\\s*:\\s*(${pattern})`).exec(prefix)?.[1];
  const nameJson = field('name', '"(?:[^"\\\\]|\\\\.)*"');
  const head: ChatHead = {
    name: nameJson ? (JSON.parse(nameJson) as string) : 'unnamed chat',
    id: field('id', '-?\\d+') ?? null,
    type: field('type', '"[a-z_]+"')?.slice(1, -1) ?? null,
  };
  const results: MediaResult[] = [];
  let at = start.index + start[0].length;
  let index = 0;
  let lastId: string | null = null;
  for (;;) {
    while (at < text.length && /[\s,]/.test(text[at] as string)) at++;
    if (at >= text.length) {
      results.push({
        status: 'error',
        input: path,
        reason: `truncated export: the file ends inside the messages list after ${index} messages${lastId ? ` (last complete message #${lastId})` : ''}; those were read`,
      });
      break;
    }
    if (text[at] === ']') {
      // The list closed: the JSON error was in a message already named, else it comes after the list.
      if (!results.some((r) => r.status === 'error'))
        results.push({
          status: 'error',
          input: path,
          reason: `not valid JSON after the messages list (${problem}); its ${index} messages were read`,
        });
      break;
    }
    if (text[at] !== '{') {
      results.push({
        status: 'error',
        input: `${path} message ${index + 1}`,
        reason: `malformed export: expected a message object${lastId ? ` after message #${lastId}` : ''}; the rest of the file is not read`,
      });
      break;
    }
    const end = objectEnd(text, at);
    if (end === null) {
      const id = /"id"\s*:\s*(\d+)/.exec(text.slice(at, at + 200))?.[1];
      results.push({
        status: 'error',
        input: id ? `${path}#${id}` : `${path} message ${index + 1}`,
        reason: `truncated export: the file ends inside this message; it is not read (the ${index} messages before it were)`,
      });
      break;
    }
    const slice = text.slice(at, end);
    let message: unknown;
    try {
      message = JSON.parse(slice);
    } catch (error) {
      const id = /"id"\s*:\s*(\d+)/.exec(slice)?.[1];
      results.push({
        status: 'error',
        input: id ? `${path}#${id}` : `${path} message ${index + 1}`,
        reason: `malformed message: ${error instanceof Error ? error.message : String(error)}`,
      });
      at = end;
      index++;
      continue;
    }
    const result = readMessage(message, head, path, index);
    results.push(result);
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id === 'number') lastId = String(id);
    at = end;
    index++;
  }
  return results;
}

/** The index after the `}` closing the object that opens at `start`, or null if the text ends first. */
function objectEnd(text: string, start: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return null;
}
