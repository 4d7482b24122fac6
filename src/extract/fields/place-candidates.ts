/**
 * Candidates for the town of an incident, found anywhere in a document by general patterns, each
 * described by features for the learned place scorer (`data/models/places.json`):
 *
 * - `gaz`: a capitalised name the gazetteer knows, by its spelling skeleton ("Ba'quba" → Baqubah);
 * - `comma-admin`: "X, Diyala, Iraq", "X, Arauca department": a name before a first-level division
 *   is a town of it, known to the gazetteer or not;
 * - `comma-country`: "X, Colombia", "X, Y, Colombia";
 * - `locative`: "in X", "near X", "the village of X";
 * - `place-noun`: "X city", "X village", "X district".
 *
 * The article's country, when the text says it (a header "ARGENTINA.", "X, Y, Country", the country
 * it names most, a dateline's), drops the candidates that contradict it: "Central Reserve Police
 * Force" in an Indian story is not a town "Reserve" in the United States. A dateline ("NAIROBI —")
 * says where the story was filed: its town is never a candidate, though the sentences may name it.
 */
import type { AdminArea } from '../../knowledge/admin-areas.js';
import { placeIndex, skeleton } from '../../knowledge/place-index.js';
import type { City } from '../../knowledge/places.js';
import type { AnnotatedSentence } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import type { Token } from '../text/tokens.js';

export interface PlaceCandidate {
  readonly s: AnnotatedSentence;
  /** Tokens [from, to) of the sentence: the evidence. */
  readonly from: number;
  readonly to: number;
  /** As written. */
  readonly name: string;
  readonly key: string;
  /** The gazetteer's town of that name, in the article's country when it has one there. */
  readonly city: City | null;
  /** The division named after it ("X, Diyala"). */
  readonly admin: AdminArea | null;
  /** Its country, from the pattern or the gazetteer; null when unknown. */
  readonly country: string | null;
  readonly sources: readonly string[];
  readonly features: string[];
}

const placeWords = readLexicon<{ fillers: string[]; regions: string[] }>('places.json');
const REGION_WORDS = new Set(placeWords.regions);
const LOCATIVES = new Set([
  'in',
  'at',
  'near',
  'outside',
  'inside',
  'from',
  'of',
  'to',
  'into',
  'on',
  'around',
  'between',
  'and',
]);
const PLACE_NOUNS = new Set([
  'city',
  'town',
  'village',
  'district',
  'area',
  'province',
  'neighbourhood',
  'neighborhood',
  'suburb',
  'township',
  'municipality',
  'region',
  'state',
  'governorate',
  'county',
  'department',
  'camp',
  'market',
  'bazaar',
]);
/** Lower-case words a place name may hold between capitalised ones ("San Juan de la Maguana"). */
const CONNECTORS = new Set([
  'de',
  'del',
  'la',
  'le',
  'da',
  'do',
  'dos',
  'das',
  'di',
  'al',
  'el',
  'ad',
  'ar',
  'ash',
  'az',
  'bin',
]);
const ARTICLES = new Set(['al', 'el', 'ad', 'an', 'ar', 'as', 'ash', 'at', 'az']);
const MAX_WORDS = 4;

/** Weekdays and months ("Friday's attack", "in March"): capitalised, never a town. */
const CALENDAR_WORDS = (() => {
  const words = new Set<string>();
  const weekday = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' });
  for (let d = 0; d < 7; d++) words.add(weekday.format(Date.UTC(2024, 0, 1 + d)).toLowerCase());
  for (let m = 0; m < 12; m++) words.add(month.format(Date.UTC(2024, m, 1)).toLowerCase());
  return words;
})();
const calendarWord = (name: string) => CALENDAR_WORDS.has(name.toLowerCase().replace(/['’]s$/, ''));

const isCap = (t: Token | undefined) => t?.kind === 'word' && /^\p{Lu}/u.test(t.text);
/** Tokens written together: "Ba'quba", "al-Gatoon". */
const joined = (text: string, a: Token, b: Token) =>
  /^(?:['’`‘ʻ\-‐]| ['’`‘ʻ])$/.test(text.slice(a.end, b.start));

/** Runs of capitalised words: [from, to) token ranges. */
function nameSpans(text: string, tokens: readonly Token[]): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    let from = -1;
    if (isCap(t)) from = i;
    else if (
      ARTICLES.has(t.norm) &&
      tokens[i + 1] &&
      joined(text, t, tokens[i + 1] as Token) &&
      isCap(tokens[i + 1])
    )
      from = i;
    if (from < 0) {
      i++;
      continue;
    }
    let to = from + 1;
    let words = 1;
    while (to < tokens.length && words < MAX_WORDS) {
      const prev = tokens[to - 1] as Token;
      const next = tokens[to] as Token;
      if (next.kind !== 'word') break;
      if (joined(text, prev, next)) {
        // "Egypt's North Sinai": a possessive ends the name.
        if (next.norm === 's' && !(tokens[to + 1] && joined(text, next, tokens[to + 1] as Token))) break;
        to++;
        continue;
      }
      if (next.start - prev.end !== 1) break;
      if (isCap(next)) {
        to++;
        words++;
        continue;
      }
      if (
        CONNECTORS.has(next.norm) &&
        isCap(tokens[to + 1]) &&
        (tokens[to + 1] as Token).start - next.end === 1
      ) {
        to += 2;
        words += 2;
        continue;
      }
      break;
    }
    spans.push([from, to]);
    i = to;
  }
  return spans;
}

const bucket = (n: number, edges: readonly number[]) => {
  const i = edges.findIndex((e) => n <= e);
  return i < 0 ? `>${edges[edges.length - 1]}` : `<=${edges[i]}`;
};

/** How a document opens: a country in capitals as a header ("ARGENTINA.  The ...", "UNITED STATES -
 * ..."), or a dateline, a town in capitals with an optional region or country and agency before a
 * dash or colon ("NAIROBI —", "GARISSA, Kenya —", "MOGADISHU (Horn Wire) —"). */
export interface Lead {
  /** The country of a header: what the coders' summaries lead with. */
  readonly header: string | null;
  /** A dateline: where the story was filed, which need not be where the attack was. */
  readonly dateline: {
    /** Characters of the text it covers. */
    readonly end: number;
    /** The country it names, or the country of the national capital it names. */
    readonly country: string | null;
  } | null;
}

const LEAD =
  /^\s*([\p{Lu}][\p{Lu}\s.'’&-]{2,40}?)\s*(?:,\s*([\p{L}\s.'’-]{3,30}?)\s*)?(\([^()\n]{1,40}\)\s*)?(\.|:|—|–|--|-)\s/u;

export function readLead(text: string): Lead {
  const m = LEAD.exec(text);
  if (!m?.[1]) return { header: null, dateline: null };
  const ix = placeIndex();
  const named = (phrase: string | undefined) => {
    if (!phrase) return null;
    const c = ix.countries.get(skeleton(phrase));
    if (c) return c.code;
    return null;
  };
  const head = m[1].replace(/\.$/, '').trim();
  const headCountry = named(head);
  // "PERU.", "UNITED STATES -", "SRI LANKA (CEYLON).": a country heads the text.
  if (headCountry) return { header: headCountry, dateline: null };
  // A full stop after a town is the end of a sentence, not a dateline.
  if (m[4] === '.') return { header: null, dateline: null };
  // "NAIROBI" alone: a national capital names its country.
  const capital = (ix.cities.get(skeleton(head)) ?? []).find((c) => c.capital);
  return {
    header: null,
    dateline: { end: m[0].length, country: named(m[2]) ?? capital?.country ?? null },
  };
}

/** The country a document leads with in a header ("ARGENTINA."); a dateline's is not it. */
export function leadingCountry(text: string): string | null {
  return readLead(text).header;
}

function countryAt(
  tokens: readonly Token[],
  text: string,
  from: number,
): { code: string; to: number } | null {
  const spans = nameSpans(text, tokens.slice(from, from + 6));
  const first = spans[0];
  if (first?.[0] !== 0) return null;
  const t0 = tokens[from] as Token;
  const t1 = tokens[from + first[1] - 1] as Token;
  const c = placeIndex().countries.get(skeleton(text.slice(t0.start, t1.end)));
  return c ? { code: c.code, to: from + first[1] } : null;
}

function adminAt(
  tokens: readonly Token[],
  text: string,
  from: number,
): { areas: readonly AdminArea[]; to: number; text: string } | null {
  const spans = nameSpans(text, tokens.slice(from, from + 6));
  const first = spans[0];
  if (first?.[0] !== 0) return null;
  let to = from + first[1];
  // "Diyala Governorate", "Assam state": the kind word stays out of the name.
  if (REGION_WORDS.has((tokens[to - 1] as Token).norm) && to - from > 1) to--;
  const t0 = tokens[from] as Token;
  const t1 = tokens[to - 1] as Token;
  const written = text.slice(t0.start, t1.end);
  const areas = placeIndex().admins.get(skeleton(written));
  if (REGION_WORDS.has(tokens[to]?.norm ?? '')) to++;
  return { areas: areas ?? [], to, text: written };
}

interface Raw {
  s: AnnotatedSentence;
  from: number;
  to: number;
  sources: Set<string>;
  admin: AdminArea | null;
  country: string | null;
  /** The name after it (", Y,") when the pattern is "X, Y, Country". */
  afterName: boolean;
}

/** What the text says of the article's country. */
export interface DocumentCountries {
  /** The article's country: a header's, else the one it names most, else its dateline's; or null. */
  readonly code: string | null;
  /** Whether it comes from a header ("ARGENTINA."). */
  readonly leading: boolean;
  /** The countries the text names as a place (a header, a dateline, "in Iraq", "Kirkuk, Iraq"), not
   * only as an actor ("Pakistan denied any involvement", "citizens of Tajikistan"). */
  readonly placed: ReadonlySet<string>;
  /** Every country the article names (countries, regions of known countries, the header's and the
   * dateline's; not nationalities): a candidate placed in none of them contradicts the article. Empty
   * when it names none. */
  readonly named: ReadonlySet<string>;
  /** Characters of the dateline at the head of the text (0 without one): where the story was filed,
   * never a candidate by itself. */
  readonly datelineEnd: number;
}

/** Every candidate town of a document, in text order, in the countries the article states. */
export function placeCandidates(
  text: string,
  sentences: readonly AnnotatedSentence[],
  doc: DocumentCountries,
): PlaceCandidate[] {
  const docCountry = doc.code;
  const ix = placeIndex();
  const raws: Raw[] = [];
  for (const s of sentences) {
    const tokens = s.sentence.tokens;
    if (!s.mixedCase) continue;
    for (const [spanFrom, spanTo] of nameSpans(text, tokens)) {
      // The dateline's town is where the story was filed: only the sentences may name the attack's.
      let from = spanFrom;
      while (from < spanTo && (tokens[from] as Token).start < doc.datelineEnd) from++;
      if (from === spanTo) continue;
      let to = spanTo;
      // "East Champaran District": the kind word is not part of the town's name.
      if (to - from > 1 && REGION_WORDS.has((tokens[to - 1] as Token).norm)) to--;
      const sources = new Set<string>();
      let admin: AdminArea | null = null;
      let country: string | null = null;
      let afterName = false;
      // "Tangi village, Kunar province, Afghanistan": the kind word before the comma.
      const comma = PLACE_NOUNS.has(tokens[spanTo]?.norm ?? '') ? spanTo + 1 : spanTo;
      if (tokens[comma]?.norm === ',') {
        const c = countryAt(tokens, text, comma + 1);
        if (c) {
          sources.add('comma-country');
          country = c.code;
        } else {
          const a = adminAt(tokens, text, comma + 1);
          if (a) {
            const after = tokens[a.to]?.norm === ',' ? countryAt(tokens, text, a.to + 1) : null;
            const area = a.areas.find((x) => !after || x.country === after.code) ?? null;
            if (area) {
              sources.add('comma-admin');
              admin = area;
              country = area.country;
            } else if (after) {
              sources.add('comma-any-country');
              country = after.code;
              afterName = true;
            }
          }
        }
      }
      const prev = tokens[from - 1]?.norm ?? '';
      if (LOCATIVES.has(prev)) sources.add('locative');
      const after = tokens[to]?.norm ?? '';
      if (PLACE_NOUNS.has(after)) sources.add('place-noun');
      raws.push({ s, from, to, sources, admin, country, afterName });
    }
  }
  const out: PlaceCandidate[] = [];
  const counts = new Map<string, number>();
  const keyed = raws.map((r) => {
    const t0 = r.s.sentence.tokens[r.from] as Token;
    const t1 = r.s.sentence.tokens[r.to - 1] as Token;
    const name = text.slice(t0.start, t1.end);
    const key = skeleton(name);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return { r, name, key };
  });
  for (const { r, name, key } of keyed) {
    if (key.length < 3 || calendarWord(name)) continue;
    // Names that are a country or a division are not towns (a town of that name is rarer news).
    if (ix.countries.has(key)) continue;
    const group = r.s.names.some(
      (n) =>
        n.from <= r.from && r.to <= n.to && n.entries.some((e) => e.kind === 'group' || e.kind === 'demonym'),
    );
    // A place the pattern puts in a country the article does not name contradicts it.
    if (r.country && doc.named.size > 0 && !doc.named.has(r.country)) continue;
    const namesakes = ix.cities.get(key) ?? [];
    const country = r.country ?? docCountry;
    // Its namesake in the article's country, or else in a country the article names as a place.
    const home = country
      ? namesakes.filter((c) => c.country === country)
      : namesakes.filter((c) => doc.placed.size === 0 || doc.placed.has(c.country));
    const city = largest(r.admin ? home.filter((c) => c.admin === r.admin?.admin).concat(home) : home);
    const sources = new Set(r.sources);
    if (city) sources.add('gaz');
    if (sources.size === 0) continue;
    // The gazetteer knows the name only elsewhere than the article's country: a town of another
    // country, which contradicts the article ("Westgate" in a story about Kenya and Somalia), unless
    // the text places the article in its country ("SWEDEN. ... in Gothenburg", "... in Iraq"), where
    // the gazetteer more likely lacks the town or its spelling.
    if (!city && namesakes.length > 0 && !r.country && !(docCountry && doc.placed.has(docCountry))) continue;
    if (!city && namesakes.length > 0 && r.sources.size === 0) continue;
    if (docCountry && r.country && r.country !== docCountry) continue;
    const isAdmin = (ix.admins.get(key) ?? []).some((a) => !country || a.country === country);
    const features = describe(
      r,
      city,
      isAdmin,
      group,
      namesakes.length > 0,
      counts.get(key) ?? 1,
      docCountry,
    );
    for (const src of sources) features.push(`src:${src}`);
    features.push(`srcs:${[...sources].sort().join('+')}`);
    out.push({
      s: r.s,
      from: r.from,
      to: r.to,
      name,
      key,
      city,
      admin: r.admin,
      country: city?.country ?? country,
      sources: [...sources],
      features,
    });
  }
  out.forEach((c, i) => {
    c.features.push(`ord:${bucket(i, [0, 1, 2, 4])}`);
  });
  const capital = docCountry ? capitalCandidate(text, sentences, docCountry, out, doc) : null;
  if (capital) out.push(capital);
  return out;
}

/** Diplomatic missions, the seat of government: what stands in a capital unless a town is named. */
const CAPITAL_CUES =
  /\b(?:embass(?:y|ies)|consulates?|ambassadors?|diplomats?|ministry|parliament|presidential palace)\b/i;

/** The national capital, when the text names no town of its own for it: coders place an attack on
 * an embassy there. The scorer decides; the evidence is the first sentence. */
function capitalCandidate(
  text: string,
  sentences: readonly AnnotatedSentence[],
  country: string,
  others: readonly PlaceCandidate[],
  doc: DocumentCountries,
): PlaceCandidate | null {
  const s = sentences[0];
  if (!s || s.sentence.tokens.length === 0) return null;
  const city = placeIndex().capitals.get(country);
  if (!city) return null;
  const capitalKey = skeleton(city.name);
  if (others.some((o) => o.key === capitalKey)) return null;
  // A story filed from the capital is not about the capital for that.
  if (doc.datelineEnd > 0 && skeleton(text.slice(0, doc.datelineEnd)).includes(capitalKey)) return null;
  const leading = doc.leading;
  const features = [
    'src:capital',
    `others:${bucket(others.filter((o) => o.country === null || o.country === country).length, [0, 1, 2])}`,
    `others-gaz:${bucket(others.filter((o) => o.city !== null).length, [0, 1, 2])}`,
    leading ? 'leading' : 'stated',
  ];
  if (CAPITAL_CUES.test(text)) features.push('capital-cue');
  return {
    s,
    from: 0,
    to: 1,
    name: city.name,
    key: capitalKey,
    city,
    admin: null,
    country,
    sources: ['capital'],
    features,
  };
}

function largest(pool: readonly City[]): City | null {
  return pool.reduce<City | null>((best, c) => (!best || c.population > best.population ? c : best), null);
}

function describe(
  r: Raw,
  city: City | null,
  isAdmin: boolean,
  group: boolean,
  namesakeAbroad: boolean,
  mentions: number,
  docCountry: string | null,
): string[] {
  const tokens = r.s.sentence.tokens;
  const f: string[] = [];
  const prev = tokens[r.from - 1];
  const prev2 = tokens[r.from - 2];
  const next = tokens[r.to];
  const next2 = tokens[r.to + 1];
  f.push(`prev:${prev?.norm ?? '^'}`);
  f.push(`prev2:${prev2?.norm ?? '^'}|${prev?.norm ?? '^'}`);
  f.push(`next:${next?.norm ?? '$'}`);
  f.push(`next2:${next?.norm ?? '$'}|${next2?.norm ?? '$'}`);
  f.push(`sent:${bucket(r.s.sentence.index, [0, 1, 2])}`);
  f.push(`words:${bucket(r.to - r.from, [1, 2, 3])}`);
  if (r.from === 0) f.push('sentence-start');
  const triggers = r.s.triggers.map((t) => t.from);
  if (triggers.length === 0) f.push('trigger:none');
  else {
    const d = Math.min(...triggers.map((t) => Math.abs(t - r.from)));
    const side = triggers.some((t) => t < r.from) ? 'after' : 'before';
    f.push(`trigger:${bucket(d, [3, 8, 15])}`, `trigger-side:${side}`);
  }
  if (city) {
    f.push(`pop:${bucket(city.population, [0, 5000, 50_000, 500_000])}`);
    if (city.capital) f.push('capital');
    if (city.seat) f.push('seat');
    if (city.notable) f.push('notable');
    f.push(docCountry ? (city.country === docCountry ? 'country:same' : 'country:other') : 'country:unknown');
  } else {
    f.push(namesakeAbroad ? 'gaz:abroad' : 'gaz:none');
  }
  if (isAdmin) f.push('is-admin');
  if (group) f.push('in-group-name');
  if (r.afterName) f.push('before-name-country');
  // A name inside a longer run of capitals ("Central Reserve Police Force").
  const cap = (t: Token | undefined) => t?.kind === 'word' && /^\p{Lu}/u.test(t.text);
  if (cap(next) && next && prev && next.start - (tokens[r.to - 1]?.end ?? 0) === 1) f.push('cap-after');
  if (cap(prev) && prev && (tokens[r.from]?.start ?? 0) - prev.end === 1) f.push('cap-before');
  f.push(`mentions:${bucket(mentions, [1, 2])}`);
  return f;
}
