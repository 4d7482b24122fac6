/**
 * The attack-report scorer (src/extract/attack-report.ts). Positives: the sentence of each coder
 * summary that tells the attack (GTD 2011, GTD 1993, RAND; train parts) where the lexicons see no
 * attack word. Negatives: every sentence of MUC-4 train stories with no incident: news that reports
 * no attack (ACLED's protest notes are no negatives: many tell of bombs hurled in riots).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepared } from '../../src/eval/incidents/index.js';
import { annotate } from '../../src/extract/annotate.js';
import { ATTACK_REPORT_MODEL, attackReportFeatures } from '../../src/extract/attack-report.js';
import { leftToScorer } from '../../src/extract/events.js';
import { type Example, type LinearModel, trainLogistic } from '../../src/learn/index.js';
import { sharedDir, trainRecords } from './data.js';

/** RAND alone has ten times GTD's records: a fixed share keeps the summaries' styles balanced. */
const RAND_SHARE = 1;
const share = (id: string) => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

function attackSentence(text: string): ReturnType<typeof annotate>[number] | null {
  // The first sentence of some length in running text: RAND opens with the country alone, in
  // capitals ("ARGENTINA.", "FEDERAL REPUBLIC OF GERMANY.").
  return (
    annotate(text).find(
      (s) => s.sentence.tokens.filter((t) => t.kind === 'word').length >= 4 && /[a-z]/.test(s.sentence.text),
    ) ?? null
  );
}

export function trainAttackReport(): LinearModel {
  const examples: Example[] = [];
  const positive = (text: string) => {
    const s = attackSentence(text);
    if (s && leftToScorer(s)) examples.push({ features: attackReportFeatures(s), label: 1 });
  };
  for (const set of ['gtd-2011', 'gtd-1993']) for (const r of trainRecords(set)) positive(prepared(r).text);
  for (const r of trainRecords('rand-rdwti')) if (share(r.id) < RAND_SHARE) positive(r.text);
  const muc4 = readFileSync(join(sharedDir(), 'eval', 'muc4', 'train.jsonl'), 'utf8');
  for (const line of muc4.split('\n')) {
    if (line.trim() === '') continue;
    const doc = JSON.parse(line) as { doctext: string; templates: unknown[] };
    if (doc.templates.length > 0) continue;
    for (const s of annotate(doc.doctext))
      if (leftToScorer(s)) examples.push({ features: attackReportFeatures(s), label: 0 });
  }
  return trainLogistic(examples, {
    name: ATTACK_REPORT_MODEL,
    trainedOn:
      'sentences telling an attack in the train parts of GTD 2011, GTD 1993 and RAND summaries (positives); MUC-4 train stories with no incident (negatives)',
    minCount: 3,
  });
}
