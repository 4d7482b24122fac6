import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/databases.js';
import { bombing, roundup } from './corpus.js';
import { type Article, get, type IncidentOut, post, type Reply, startWorld, type World } from './helpers.js';
import { describeTest, interleaved, mannWhitney, signedRank } from './stats.js';

/*
 * Timing side channels, measured without wall-clock thresholds: both sides are interleaved (ABBA)
 * many times after a warm-up and compared with a rank test (Mann-Whitney U for the 200 searches, the
 * Wilcoxon signed-rank test of the pairs for the posts, whose drift is larger than their number can
 * average out); a test fails only when the difference is significant at p < 1e-4, so a noisy machine
 * does not make it flaky, while a real difference of a fraction of a millisecond over hundreds of
 * samples is far beyond that.
 *
 * 1. Search: a word present only in documents the caller may not read (many of alpha's RED articles)
 *    must not answer measurably slower than a word present nowhere. Today the full-text index is read
 *    over every document and only then filtered by clearance, so the hidden word costs a probe per
 *    hidden incident.
 * 2. Ingest: gamma posting texts equal to hidden documents must take as long as posting fresh texts of
 *    the same template. Today an equal text is a "duplicate": extraction is skipped and the answer
 *    comes several times faster. Each fresh text is a near-copy (one name changed) of another hidden
 *    article, so that both sides find a hidden near-duplicate in the store and differ only in being
 *    exactly equal.
 */

const P_STRICT = 1e-4;
const HIDDEN_WORD = 'zorvathine';
const ABSENT_WORD = 'quillibrex';
/** Round-ups of four attacks each: 160 hidden incidents with the word. */
const SEARCH_DOCUMENTS = 40;
const SEARCH_ROUNDS = 200;
const SEARCH_WARMUP = 20;
const POST_PAIRS = 36;
const POST_WARMUP = 4;

/** T(n): posted by alpha as RED, then by gamma exactly as it is. */
const equal = (n: number) => bombing(2 * n, { firstYear: 2023, place: n });
/** U(n): posted by alpha as RED, at the same place as T(n) nine days later (another neighbourhood). */
const near = (n: number) => bombing(2 * n + 1, { firstYear: 2023, place: n });
/** F(n): U(n) with another spokesman: a text never posted, a near-duplicate of a hidden one as T(n) is
 * a duplicate of one. */
const fresh = (n: number) => bombing(2 * n + 1, { firstYear: 2023, place: n, spokesman: 'Musa Dantata' });

const red = (g: { text: string; published: string }, name: string): Article => ({
  name,
  poster: 'alphaAnalyst',
  tlp: 'red',
  published: g.published,
  title: name,
  text: g.text,
});

describe.each(testDialects())(
  'timing side channels on $kind',
  (dialect) => {
    let world: World;

    beforeAll(async () => {
      world = await startWorld(dialect);
      const posts: Article[] = [];
      // The word only alpha/ana may read, in many incidents of RED articles (dated 2019–2020).
      for (let n = 0; n < SEARCH_DOCUMENTS; n++) posts.push(red(roundup(n, 'Zorvathine'), `search-${n}`));
      // Pairs of RED articles for the ingest test (dated 2023–2024): T(n) gamma will post as it is, U(n)
      // gamma will post with another spokesman.
      for (let n = 0; n < POST_PAIRS; n++) {
        posts.push(red(equal(n), `equal-${n}`));
        posts.push(red(near(n), `near-${n}`));
      }
      for (const a of posts) {
        const reply = await post(world, a);
        if (reply.status !== 201) throw new Error(`seeding ${a.name}: ${reply.status} ${reply.text}`);
      }
    }, 240_000);
    afterAll(async () => {
      await world?.close();
      await dialect.cleanup();
    });

    it('q= a word only in hidden documents answers no slower than a word present nowhere', async () => {
      const owner = await get<{ incidents: IncidentOut[] }>(
        world,
        'alphaAnalyst',
        `/api/v1/incidents?q=${HIDDEN_WORD}&limit=500`,
      );
      expect(owner.body.incidents.length, 'the word is indexed for its reader').toBeGreaterThanOrEqual(
        3 * SEARCH_DOCUMENTS,
      );
      const search = (word: string) => async () => {
        const r: Reply<{ incidents: unknown[] }> = await get(
          world,
          'gammaAnalyst',
          `/api/v1/incidents?q=${word}`,
        );
        if (r.status !== 200 || r.body.incidents.length !== 0)
          throw new Error(`q=${word}: ${r.status} ${r.text}`);
      };
      const t = await interleaved(SEARCH_ROUNDS, SEARCH_WARMUP, search(HIDDEN_WORD), search(ABSENT_WORD));
      const test = mannWhitney(t.a, t.b);
      const line = describeTest(
        `${dialect.kind} q=${HIDDEN_WORD} (hidden) vs q=${ABSENT_WORD} (nowhere)`,
        test,
      );
      console.info(line);
      expect(test.pGreater, line).toBeGreaterThanOrEqual(P_STRICT);
    });

    it('posting a text equal to a hidden document takes as long as posting a fresh text of the same template', async () => {
      const statuses = { equal: new Map<number, number>(), fresh: new Map<number, number>() };
      const t = await interleaved(
        POST_PAIRS - POST_WARMUP,
        POST_WARMUP,
        async (n) => {
          const r = await post(world, red(equal(n), 'x'), {
            as: 'gammaAnalyst',
            tlp: 'clear',
          });
          statuses.equal.set(r.status, (statuses.equal.get(r.status) ?? 0) + 1);
        },
        async (n) => {
          const r = await post(world, red(fresh(n), 'x'), {
            as: 'gammaAnalyst',
            tlp: 'clear',
          });
          statuses.fresh.set(r.status, (statuses.fresh.get(r.status) ?? 0) + 1);
        },
      );
      // Paired by round (each equal post next to a fresh one): a burst of load or a database flush
      // shared by a pair cancels out.
      const test = signedRank(t.a, t.b);
      const line = `${describeTest(`${dialect.kind} POST equal-to-hidden vs fresh (signed-rank, paired)`, test)}; statuses equal ${JSON.stringify([...statuses.equal])}, fresh ${JSON.stringify([...statuses.fresh])}`;
      console.info(line);
      expect(test.pTwoSided, line).toBeGreaterThanOrEqual(P_STRICT);
    });
  },
  90_000,
);
