// Names the model derives from scenario ids.

/** The receipt token a lending market issues for a borrowable reserve: `aUSDC-lendA`. */
export function receiptId(asset: string, venue: string): string {
  return `a${asset}-${venue}`;
}

/** Id of the `i`-th account (0-based) of a population: `borrowers-A#17`. */
export function populationAccountId(population: string, i: number): string {
  return `${population}#${i}`;
}
