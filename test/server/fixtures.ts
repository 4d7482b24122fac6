/** Articles for the server tests: each yields at least one incident, and each carries a marker word
 * (in the sentence that evidences the attack) so a leak of its text shows in any response. */
export const ARTICLES = {
  clearLocal: {
    marker: 'Xandrel',
    text: 'Gunmen opened fire on a police checkpoint in Kandahar, Afghanistan on Monday, killing four officers near the Xandrel bakery, officials said. The Taliban claimed responsibility for the attack.',
  },
  clear: {
    marker: 'Brimwick',
    text: 'A car bomb exploded outside a crowded market in Mogadishu, Somalia on Tuesday, killing 12 people beside the Brimwick stall, police said. Al-Shabaab said it carried out the bombing.',
  },
  green: {
    marker: 'Tolvane',
    text: 'A suicide bomber blew himself up at a mosque in Peshawar, Pakistan on Friday during prayers at the Tolvane gate, killing 30 worshippers and wounding 50, a hospital official said.',
  },
  amber: {
    marker: 'Quorvash',
    text: 'Militants stormed a village near Maiduguri, Nigeria on Wednesday and killed nine farmers at the Quorvash well, residents said. A group calling itself the Quorvash Brigade claimed the attack.',
  },
  amberGamma: {
    marker: 'Pellinor',
    text: 'Two rockets struck a military base in Baghdad, Iraq on Thursday, wounding three soldiers at the Pellinor depot, the army said. No group has claimed the attack.',
  },
  strict: {
    marker: 'Vexmoor',
    text: 'Kidnappers seized eleven aid workers on a road outside Gao, Mali on Sunday near the Vexmoor crossing, the United Nations said. Jama’at Nusrat al-Islam wal-Muslimin was suspected.',
  },
  red: {
    marker: 'Ostrakine',
    text: 'An explosive device hidden in a bus detonated in Kabul, Afghanistan on Saturday, killing seven passengers at the Ostrakine stop, officials said. ISKP claimed responsibility.',
  },
} as const;

export const PUBLISHED = '2024-05-12';
