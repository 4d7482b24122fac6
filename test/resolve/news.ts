import { type Document, documentId } from '../../src/sources/index.js';

/** A stored-to-be article of the resolution tests: English, identified by its text. */
export function newsDocument(
  text: string,
  fields: {
    readonly published: string;
    readonly origin: string;
    readonly url?: string;
    readonly outlet?: string;
  },
): Document {
  return {
    id: documentId(text),
    text,
    title: null,
    url: fields.url ?? null,
    outlet: fields.outlet ?? null,
    published: fields.published,
    language: 'eng',
    origin: fields.origin,
  };
}
