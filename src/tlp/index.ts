export {
  type Audience,
  audienceLevel,
  audienceOf,
  audienceTokens,
  clearanceTokens,
  RESTRICTED_TOKEN,
} from './audience.js';
export {
  type Clearance,
  canSeeHolding,
  documentMarking,
  type Holding,
  holdingKey,
  isMarkingLevel,
  leastRestrictive,
  MARKING_LEVELS,
  type Marking,
  type MarkingLevel,
  mostRestrictive,
  sameHolding,
  stricter,
} from './marking.js';
