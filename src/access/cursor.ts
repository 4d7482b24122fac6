import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

/* Cursors are positions in lists the caller was shown, sealed: encrypted and authenticated with a
 * secret of the server's (AES-256-GCM), and bound to the key that asked and to the list (its
 * endpoint, filters and order). A caller can neither read one (a toll or a group name in a sorted
 * list's cursor is the last item's, but opaque is simpler to reason about) nor make or alter one, so
 * no cursor can start a list at a value the caller chose to probe what they may not see; one issued
 * to another key or for another list is refused as any damaged one is. The nonce is derived from
 * what is sealed (as in SIV), so one position of one list gives one cursor: equal pages, equal
 * answers, and a nonce is never reused for two different cursors. */

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CursorSeal {
  readonly #key: Buffer;
  readonly #nonceKey: Buffer;

  /** `secret`: the server's (src/store/access.ts `secret`), at least 32 bytes. */
  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('a cursor secret needs 32 bytes at least');
    this.#key = createHash('sha256').update('vigil cursor v1\u0000').update(secret).digest();
    this.#nonceKey = createHash('sha256').update('vigil cursor nonce v1\u0000').update(secret).digest();
  }

  /** `value` (JSON) sealed for `binding` (the key id and the list it belongs to). */
  seal(value: unknown, binding: string): string {
    const json = JSON.stringify(value);
    const iv = createHmac('sha256', this.#nonceKey)
      .update(binding)
      .update('\u0000')
      .update(json)
      .digest()
      .subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The value sealed for `binding`, or undefined for anything else (altered, forged, another key's,
   * another list's). */
  open(token: string, binding: string): unknown {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    const bytes = Buffer.from(token, 'base64url');
    // One spelling per cursor: the last character's unused bits could otherwise be altered unnoticed.
    if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== token) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(text.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** What a cursor is bound to: the key and the list (its name and every parameter but the cursor). */
export function cursorBinding(
  keyId: string,
  list: string,
  parameters: Readonly<Record<string, unknown>>,
): string {
  const shown = Object.entries(parameters)
    .filter(
      ([name, value]) => value !== undefined && name !== 'cursor' && name !== 'limit' && name !== 'next',
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([keyId, list, shown]);
}

const seals = new WeakMap<object, Promise<CursorSeal>>();

/** The seal of a store's server processes: made from the secret they share (`AccessStore.secret`). */
export function cursorSealOf(store: {
  readonly access: { secret(name: string): Promise<Buffer> };
}): Promise<CursorSeal> {
  let seal = seals.get(store);
  if (seal === undefined) {
    seal = store.access.secret('cursor').then((secret) => new CursorSeal(secret));
    seal.catch(() => seals.delete(store));
    seals.set(store, seal);
  }
  return seal;
}
