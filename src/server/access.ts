import type { Principal, Role } from '../store/index.js';

/* Roles. Who sees which document, and so which incidents and values, is the rule of src/tlp; what a
 * caller is shown of incidents is src/access (the reader every service reads through). */

const RANK: Readonly<Record<Role, number>> = { viewer: 0, analyst: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}
