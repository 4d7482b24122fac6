/** Learned scorers: logistic regression over string features, trained by `npm run train` into
 * `data/models/`, loaded from there without any download. */
export { type Example, type LinearModel, probability, type TrainOptions, trainLogistic } from './linear.js';
export { loadModel } from './models.js';
