import type { Article } from './helpers.js';

/* Articles for the differential (non-interference) and cursor suites, written as wire and newspaper
 * copy of real kinds of attack. Each hidden article carries a word found nowhere else (HIDDEN_WORDS)
 * in a sentence the extractor reads as evidence or target text, so that any leak of its text, and any
 * search that reads it, shows.
 *
 * Scenarios (noninterference.test.ts reads them; cursors.test.ts pages through them):
 * 1. s1Clear (CLEAR) and s1Amber (alpha's AMBER, shared with beta only) report one assault on a
 *    Somali police station: the AMBER one adds the higher toll (14), the wounded (9), the town
 *    (Afgooye) and the group (al-Shabaab); they merge into one incident.
 * 2. s2Red (alpha's RED for beta/bo) is a near-duplicate copy of s2Clear (wire copy with one more
 *    paragraph: toll 17, Tehrik-i-Taliban Pakistan).
 * 3. Words only in hidden articles: Dravenholt, Kelvarin, Tamberlin, Quillon, Vantorre, Morvennic,
 *    Thessaly.
 * 4. Attacks only hidden articles report, in other countries: Mali (betaAmber), Burkina Faso
 *    (s4Strict), Belgium (s4Red, the only one in Europe).
 * 5. s5X and s5Y (both CLEAR) report one bombing in Garissa but do not merge with each other; each
 *    merges with s5H (alpha's RED), so in a store with all three they are one incident.
 */

export const CORPUS: readonly Article[] = [
  {
    name: 's1Clear',
    poster: 'betaAnalyst',
    tlp: 'clear',
    published: '2024-03-04',
    title: 'Militants attack police station in southern Somalia',
    url: 'https://horn-wire.example/2024/03/04/somalia-police-station',
    text: 'MOGADISHU (Horn Wire) — Militants attacked a police station in southern Somalia on Monday, killing at least six officers, a local official said.\n\nResidents said the gunmen arrived in pickup trucks before dawn and exchanged fire with police for about an hour.',
  },
  {
    name: 'green',
    poster: 'alphaAnalyst',
    tlp: 'green',
    published: '2024-02-09',
    title: 'Roadside bomb kills two Iraqi soldiers near Kirkuk',
    url: 'https://tigris-daily.example/2024/02/09/kirkuk-roadside-bomb',
    text: 'KIRKUK, Iraq — A roadside bomb struck an army patrol near Kirkuk on Thursday, killing two soldiers and wounding four, the Iraqi military said in a statement.\n\nNo group immediately claimed responsibility for the attack.',
  },
  {
    name: 's1Amber',
    poster: 'alphaAnalyst',
    tlp: 'amber',
    published: '2024-03-05',
    title: 'Alpha desk: Afgooye station assault, casualty update',
    url: 'https://alpha.example/desk/2024/0311',
    text: 'Gunmen stormed the Dravenholt police station in Afgooye, Somalia on Monday, killing 14 officers and wounding 9 others, according to a security source.\n\nAl-Shabaab claimed responsibility for the assault on the police station in a statement read on its Andalus radio.',
  },
  {
    name: 's2Clear',
    poster: 'gammaAnalyst',
    tlp: 'clear',
    published: '2024-04-15',
    title: 'Bomb kills eight in Peshawar market',
    url: 'https://frontier-press.example/2024/04/15/peshawar-market-bomb',
    text: 'PESHAWAR, Pakistan (Frontier Press) — A bomb hidden on a motorcycle exploded in a crowded vegetable market in Peshawar on Monday, killing at least eight people and wounding 20, police said.\n\nThe blast went off as shoppers gathered at the stalls in the early evening, a police officer said. Rescue workers carried the wounded to Lady Reading Hospital, where doctors declared an emergency. Shopkeepers said the market had been busy ahead of the holiday.',
  },
  {
    name: 's2Red',
    poster: 'alphaAnalyst',
    tlp: 'red',
    recipients: ['beta/bo'],
    published: '2024-04-16',
    title: 'Alpha RED: Peshawar market blast (source copy)',
    url: 'https://alpha.example/red/5521',
    text: 'PESHAWAR, Pakistan (Frontier Press) — A bomb hidden on a motorcycle exploded in a crowded vegetable market in Peshawar on Monday, killing at least eight people and wounding 20, police said.\n\nThe blast went off as shoppers gathered at the stalls in the early evening, a police officer said. Rescue workers carried the wounded to Lady Reading Hospital, where doctors declared an emergency. Shopkeepers said the market had been busy ahead of the holiday.\n\nThe death toll from the bombing later rose to 17, a senior officer said. Tehrik-i-Taliban Pakistan claimed the attack on the Kelvarin bazaar.',
  },
  {
    name: 'gammaAmber',
    poster: 'gammaAnalyst',
    tlp: 'amber',
    published: '2024-05-20',
    title: 'Gamma note: Borno village raid',
    url: 'https://gamma.example/notes/77',
    text: 'Gunmen on motorcycles raided the Tamberlin farms near Maiduguri, Nigeria on Sunday and killed seven farmers, residents said.\n\nThe attackers also burned several houses before fleeing into the bush, a local vigilante leader said.',
  },
  {
    name: 'betaAmber',
    poster: 'betaAnalyst',
    tlp: 'amber',
    published: '2024-05-27',
    title: 'Beta brief: Mopti ambush',
    url: 'https://beta.example/brief/31',
    text: 'Suspected jihadists ambushed a convoy of traders on the Quillon road near Mopti, Mali on Friday, killing five drivers, a local official said.\n\nThe gunmen set fire to three trucks, witnesses said.',
  },
  {
    name: 's4Strict',
    poster: 'alphaAnalyst',
    tlp: 'amber+strict',
    published: '2024-07-02',
    title: 'Alpha STRICT: Djibo convoy',
    url: 'https://alpha.example/strict/88',
    text: 'Jama’at Nusrat al-Islam wal-Muslimin fighters attacked an army convoy near Djibo, Burkina Faso on Monday, killing 23 soldiers at the Vantorre checkpoint, security sources said.\n\nThe group claimed the attack in a statement on Tuesday.',
  },
  {
    name: 's4Red',
    poster: 'alphaAnalyst',
    tlp: 'red',
    recipients: ['beta/bo'],
    published: '2024-10-17',
    title: 'Alpha RED: Brussels shooting, claim assessment',
    url: 'https://alpha.example/red/5602',
    text: 'A gunman opened fire on football supporters in central Brussels, Belgium on Monday evening, killing two Swedish fans near the Morvennic arcade, prosecutors said.\n\nIslamic State claimed responsibility for the shooting in a statement on its Amaq news agency.',
  },
  {
    name: 's5X',
    poster: 'betaAnalyst',
    tlp: 'clear',
    published: '2024-06-10',
    title: 'Explosion at Garissa bus station',
    url: 'https://coastal-herald.example/2024/06/10/garissa-explosion',
    text: 'GARISSA, Kenya — An explosion tore through a bus station in Garissa on Monday evening, police said.\n\nAmbulances rushed to the scene and the area was sealed off.',
  },
  {
    name: 's5H',
    poster: 'alphaAnalyst',
    tlp: 'red',
    recipients: ['beta/bo'],
    published: '2024-06-11',
    title: 'Alpha RED: Garissa device',
    url: 'https://alpha.example/red/5580',
    text: 'A bomb exploded at a bus station in Garissa, Kenya on Monday, killing 11 passengers, a police commander said.\n\nAl-Shabaab claimed responsibility for the bombing, saying the Thessaly coach carried soldiers.',
  },
  {
    name: 's5Y',
    poster: 'gammaAnalyst',
    tlp: 'clear',
    published: '2024-06-12',
    title: 'Kenya raises alert after al-Shabaab claim',
    url: 'https://nairobi-tribune.example/2024/06/12/kenya-alert',
    text: "NAIROBI — Kenyan authorities raised the security alert in the northeast on Wednesday after al-Shabaab said it carried out Tuesday's bombing in Kenya that killed 11 people.\n\nThe interior ministry urged travellers to avoid the region.",
  },
];

/** The word of each hidden article that occurs in no other article. */
export const HIDDEN_WORDS: Readonly<Record<string, string>> = {
  s1Amber: 'Dravenholt',
  s2Red: 'Kelvarin',
  gammaAmber: 'Tamberlin',
  betaAmber: 'Quillon',
  s4Strict: 'Vantorre',
  s4Red: 'Morvennic',
  s5H: 'Thessaly',
};

export const article = (name: string): Article => {
  const found = CORPUS.find((a) => a.name === name);
  if (found === undefined) throw new Error(`no article ${name}`);
  return found;
};

// Generated articles for the timing tests: one template, many places, dates and figures, so that each
// text is new and each attack is alone in its neighbourhood (one country within days).

const PLACES: readonly (readonly [string, string])[] = [
  ['Kano', 'Nigeria'],
  ['Gao', 'Mali'],
  ['Quetta', 'Pakistan'],
  ['Jalalabad', 'Afghanistan'],
  ['Kirkuk', 'Iraq'],
  ['Mandera', 'Kenya'],
  ['Beledweyne', 'Somalia'],
  ['Ouahigouya', 'Burkina Faso'],
  ['Diffa', 'Niger'],
  ['Maroua', 'Cameroon'],
  ['Pemba', 'Mozambique'],
  ['Beni', 'Democratic Republic of the Congo'],
  ['Deir ez-Zor', 'Syria'],
  ['Marawi', 'Philippines'],
  ['Sukma', 'India'],
  ['Cox’s Bazar', 'Bangladesh'],
];
const TARGETS = [
  'bus station',
  'vegetable market',
  'police checkpoint',
  'mosque',
  'wedding hall',
  'petrol station',
];
const OUTLETS = ['Sahel Wire', 'Frontier Press', 'Horn Wire', 'Delta Courier', 'Monsoon News'];
const NAMES = [
  'Ibrahim Musa',
  'Ali Hassan',
  'Omar Farouk',
  'Yusuf Adamu',
  'Karim Shah',
  'Bello Sani',
  'Tariq Aziz',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Generated {
  readonly text: string;
  readonly published: string;
}

/** The n-th article of the template: a bombing a day before its publication, publications 9 days
 * apart. The place, target and outlet follow `place` (default n), so that two articles can differ only
 * in date, figures and spokesman. */
export function bombing(
  n: number,
  options: { spokesman?: string; firstYear?: number; place?: number } = {},
): Generated {
  const at = options.place ?? n;
  const [city, country] = PLACES[at % PLACES.length] as readonly [string, string];
  const day = new Date(Date.UTC(options.firstYear ?? 2021, 0, 3) + n * 9 * 86_400_000);
  const attack = new Date(day.getTime() - 86_400_000);
  const target = TARGETS[at % TARGETS.length] as string;
  const spokesman = options.spokesman ?? (NAMES[n % NAMES.length] as string);
  const text = [
    `${city.toUpperCase()}, ${country} (${OUTLETS[at % OUTLETS.length]}) — A bomb exploded near a ${target} in ${city}, ${country} on ${WEEKDAYS[attack.getUTCDay()]}, killing ${3 + (n % 17)} people and wounding ${10 + (n % 23)} others, police said.`,
    'The blast shattered windows along the street and sent a column of smoke over the district, witnesses said. Rescue workers carried the wounded to the main hospital, where doctors appealed for blood donations.',
    `A police spokesman, ${spokesman}, said investigators were examining the remains of the device. No group immediately claimed responsibility for the attack.`,
  ].join('\n\n');
  return { text, published: day.toISOString().slice(0, 10) };
}

/** The n-th weekly round-up of four attacks in four countries, each at a site named with `word`. */
export function roundup(n: number, word: string, firstYear = 2019): Generated {
  const day = new Date(Date.UTC(firstYear, 0, 3) + n * 9 * 86_400_000);
  const weekday = WEEKDAYS[new Date(day.getTime() - 86_400_000).getUTCDay()] as string;
  const place = (k: number) => PLACES[(4 * n + k) % PLACES.length] as readonly [string, string];
  const [c0, k0] = place(0);
  const [c1, k1] = place(1);
  const [c2, k2] = place(2);
  const [c3, k3] = place(3);
  const text = [
    `(${OUTLETS[n % OUTLETS.length]}) — A bomb exploded near the ${word} ${TARGETS[n % TARGETS.length]} in ${c0}, ${k0} on ${weekday}, killing ${3 + (n % 11)} people, police said.`,
    `In a separate attack, gunmen opened fire on the ${word} market in ${c1}, ${k1} on ${weekday}, killing ${2 + (n % 7)} traders, residents said.`,
    `In another attack, a second bomb exploded at the ${word} mosque in ${c2}, ${k2} on ${weekday}, killing ${4 + (n % 5)} worshippers, officials said.`,
    `In a separate attack, militants stormed the ${word} police post in ${c3}, ${k3} on ${weekday}, killing ${2 + (n % 3)} officers, a security source said.`,
  ].join('\n\n');
  return { text, published: day.toISOString().slice(0, 10) };
}
