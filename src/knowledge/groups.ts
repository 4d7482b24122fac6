import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from './data-path.js';

const RELATION_TYPES = ['offshoot-of', 'affiliate-of', 'faction-of', 'successor-of', 'rival-of'] as const;

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code');

export const armedGroupSchema = z
  .object({
    /** Stable slug, e.g. `iskp`. */
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(2),
    aliases: z.array(z.string().min(2)),
    ideology: z.enum(['jihadist', 'ethno-nationalist', 'separatist', 'left-wing', 'right-wing', 'other']),
    /** Group this one split from or belongs to (offshoot-of / faction-of). */
    parent: z.string().nullable(),
    relations: z.array(z.object({ type: z.enum(RELATION_TYPES), group: z.string() })),
    /** Opponents that are not groups in the knowledge base (governments, forces). */
    adversaries: z.array(z.string()),
    media_arms: z.array(z.string()),
    home_countries: z.array(countryCode).min(1),
    active_from: z.number().int().min(1900).nullable(),
    active_to: z.number().int().min(1900).nullable(),
    designations: z.array(
      z
        .object({
          /** Designating authority: ISO country code, `EU` or `UN`. */
          by: z.string(),
          list: z.string(),
          since: z.number().int().nullable(),
          /** Who keeps the list, for an analyst to check the designation, e.g. "US State Department,
           * Foreign Terrorist Organizations list". Every designation in `data/groups.json` has one;
           * optional so that records stored before it was added still read. */
          source: z.string().min(1).optional(),
        })
        .strict(),
    ),
    recruitment_audiences: z.array(z.string()).optional(),
  })
  .strict();

export type ArmedGroup = z.infer<typeof armedGroupSchema>;

export const groupsFileSchema = z.array(armedGroupSchema).superRefine((groups, ctx) => {
  const ids = new Set(groups.map((g) => g.id));
  if (ids.size !== groups.length) ctx.addIssue({ code: 'custom', message: 'duplicate group id' });
  for (const g of groups) {
    for (const ref of [g.parent, ...g.relations.map((r) => r.group)]) {
      if (ref !== null && !ids.has(ref)) {
        ctx.addIssue({ code: 'custom', message: `${g.id} refers to unknown group ${ref}` });
      }
    }
  }
});

let cached: readonly ArmedGroup[] | undefined;

/** The curated armed groups shipped in `data/groups.json`, validated once per process. */
export function loadGroups(): readonly ArmedGroup[] {
  cached ??= Object.freeze(groupsFileSchema.parse(JSON.parse(readFileSync(dataPath('groups.json'), 'utf8'))));
  return cached;
}
