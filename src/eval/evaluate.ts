/** Running Vigil on MUC-4 documents and scoring it with both standard metrics. */
import { extractIncidents } from '../extract/index.js';
import { type ArmedGroup, loadGroups } from '../knowledge/groups.js';
import { resolveDraft } from '../resolve/index.js';
import { documentId } from '../sources/index.js';
import { type CeafReeScore, ceafRee, documentEntities } from './ceaf-ree.js';
import { type GttOptions, type GttScore, gttScore } from './gtt-metric.js';
import type { GritDocument, GttDocument } from './readers.js';
import type { Muc4Template } from './types.js';
import { muc4Templates } from './view.js';

export interface Muc4Input {
  readonly docid: string;
  readonly doctext: string;
  /** Publication date (`YYYY-MM-DD`); MUC-4 texts carry none, so usually null. */
  readonly published: string | null;
}

export type Muc4Predictor = (doc: Muc4Input) => Muc4Template[];

/** Vigil's predictor: extraction, resolution against the knowledge base, then the GTT view. The text
 * is read exactly as given (MUC-4 text is lower-case and has no dateline). */
export function vigilPredictor(groups: ReadonlyMap<string, ArmedGroup> = groupMap()): Muc4Predictor {
  return (doc) => {
    const id = documentId(doc.doctext);
    const drafts = extractIncidents({ id, text: doc.doctext, published: doc.published });
    return muc4Templates(drafts.map((d) => resolveDraft(d, groups)));
  };
}

function groupMap(): ReadonlyMap<string, ArmedGroup> {
  return new Map(loadGroups().map((g) => [g.id, g]));
}

export interface Muc4Evaluation {
  /** Gold documents scored (GTT file). */
  readonly documents: number;
  /** Of those, documents with at least one gold template. */
  readonly relevantDocuments: number;
  /** Predicted templates over all documents. */
  readonly predictedTemplates: number;
  readonly gtt: GttScore;
  /** CEAF-REE against the GRIT gold, when given. */
  readonly ceafRee: CeafReeScore | null;
  /** GRIT documents with no GTT document of the same docid (extracted from their own text). */
  readonly gritOnlyDocuments: number;
}

/**
 * Scores predictions on GTT gold (the template metric) and, when given, GRIT gold (CEAF-REE). Each
 * document is predicted once; a GRIT document absent from the GTT file is predicted from its own text.
 * GTT documents without `templates` count as having none.
 */
export function evaluateMuc4(
  gold: readonly GttDocument[],
  grit: readonly GritDocument[] | null,
  predict: Muc4Predictor,
  options: GttOptions & { readonly published?: string | null } = {},
): Muc4Evaluation {
  const published = options.published ?? null;
  const predictions = new Map<string, Muc4Template[]>();
  const predicted = (doc: { docid: string; doctext: string; published?: string | null }) => {
    let templates = predictions.get(doc.docid);
    if (templates === undefined) {
      templates = predict({ docid: doc.docid, doctext: doc.doctext, published: doc.published ?? published });
      predictions.set(doc.docid, templates);
    }
    return templates;
  };
  const gtt = gttScore(
    gold.map((d) => ({ pred: predicted(d), gold: d.templates ?? [] })),
    options,
  );
  const known = new Set(gold.map((d) => d.docid));
  const ceaf =
    grit === null
      ? null
      : ceafRee(grit.map((d) => ({ pred: documentEntities(predicted(d)), gold: d.extracts })));
  return {
    documents: gold.length,
    relevantDocuments: gold.filter((d) => (d.templates?.length ?? 0) > 0).length,
    predictedTemplates: gold.reduce((n, d) => n + (predictions.get(d.docid)?.length ?? 0), 0),
    gtt,
    ceafRee: ceaf,
    gritOnlyDocuments: grit === null ? 0 : grit.filter((d) => !known.has(d.docid)).length,
  };
}
