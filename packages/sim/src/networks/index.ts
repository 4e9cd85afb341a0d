// Contagion measures of the banking-network literature, on any balance-sheet network.
export { compileNetwork } from './network.js';
export type { Network, NetworkInput, NetworkNode, NetworkLiability } from './network.js';
export { clearing, clearingExact, DEFAULT_TOLERANCE } from './clearing.js';
export type { ClearingOptions, ClearingResult } from './clearing.js';
export { debtRank, shockVector } from './debtrank.js';
export type { DebtRankOptions, DebtRankResult, DebtRankVariant } from './debtrank.js';
export { gaiKapadia, gaiKapadiaFails } from './gai-kapadia.js';
export { collateralNetwork, networkMeasures } from './defi.js';
export type { DefiNetwork, NetworkMeasures } from './defi.js';
export type { GaiKapadiaOptions, GaiKapadiaResult } from './gai-kapadia.js';
