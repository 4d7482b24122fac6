/** A news article as read from a source, before any extraction. */
export interface Document {
  /** sha256 (hex) of the normalised text: the same article read twice has the same id. */
  readonly id: string;
  readonly text: string;
  readonly title: string | null;
  readonly url: string | null;
  /** The outlet or feed that published the article ("Reuters", "bbc.co.uk"). */
  readonly outlet: string | null;
  /** Publication date as an ISO 8601 date or date-time; relative dates in the text resolve against it. */
  readonly published: string | null;
  /** ISO 639-3 code from franc-min, or null when the text is too short to tell. */
  readonly language: string | null;
  /** Where the article came from: a path, `path:line` for JSON Lines, `stdin`, or a URL. */
  readonly origin: string;
}

/** Why one input could not become a document. The input is named so the user can find and fix it. */
export interface SourceError {
  readonly input: string;
  readonly reason: string;
}

export type SourceResult =
  | { readonly ok: true; readonly document: Document }
  | ({ readonly ok: false } & SourceError);
