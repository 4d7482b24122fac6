import { describe, expect, it } from 'vitest';
import { analysisDue } from '../../src/pipeline/ingest.js';

/* A batched ingest (`vigil ingest`, `vigil worker`) brings alerts and threat levels up to date after
 * 100 stored documents or 2 s, but never sooner after the last update than nine times what it took
 * (at most a minute or 2,000 documents): updates replay whole histories and grow with the store. */
describe('when a batched ingest updates the analysis', () => {
  it('after 100 documents, or after 2 s with any, while updates are quick', () => {
    expect(analysisDue(100, 50, 5)).toBe(true);
    expect(analysisDue(99, 1999, 5)).toBe(false);
    expect(analysisDue(1, 2000, 5)).toBe(true);
  });

  it('never with nothing new', () => {
    expect(analysisDue(0, 120_000, 0)).toBe(false);
  });

  it('waits nine times as long as the last update took', () => {
    expect(analysisDue(500, 8_999, 1000)).toBe(false);
    expect(analysisDue(500, 9_000, 1000)).toBe(true);
  });

  it('waits at most a minute, or 2,000 documents, however slow the last update was', () => {
    expect(analysisDue(1, 59_999, 30_000)).toBe(false);
    expect(analysisDue(1, 60_000, 30_000)).toBe(true);
    expect(analysisDue(1999, 1000, 30_000)).toBe(false);
    expect(analysisDue(2000, 1000, 30_000)).toBe(true);
  });
});
