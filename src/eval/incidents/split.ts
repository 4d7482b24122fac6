import { createHash } from 'node:crypto';

/** Which part of an evaluation set a record belongs to, fixed once by a hash of its id: models and
 * rules are tuned on `train`, accuracy is reported on `blind`. Never change the salt or the share. */
export type SplitPart = 'train' | 'blind';

const SALT = 'vigil-eval-split-1:';
/** The blind part's share of every set, in 1/1000. */
const BLIND_PER_MILLE = 300;

export function splitPart(id: string): SplitPart {
  const h = createHash('sha256')
    .update(SALT + id)
    .digest();
  return h.readUInt32BE(0) % 1000 < BLIND_PER_MILLE ? 'blind' : 'train';
}
