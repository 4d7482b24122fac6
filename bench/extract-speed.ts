/**
 * Extraction alone on MUC-4 train + dev (one core, median of five passes), as JSON: run it in two
 * checkouts one after the other to compare commits side by side.
 *
 *   npx tsx bench/extract-speed.ts
 */
import { benchExtraction, readCorpus } from './throughput.js';

console.log(JSON.stringify(benchExtraction(readCorpus())));
