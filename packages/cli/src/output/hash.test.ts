// scenarioHash: SHA-256 of the JSON text, so equal content hashes equal and key order counts.
import { describe, expect, it } from 'vitest';
import { scenarioHash } from './hash.js';

describe('scenarioHash', () => {
  it('is the hex SHA-256 of the JSON text', () => {
    const doc = { a: 1, b: [2, 3] };
    // echo -n '{"a":1,"b":[2,3]}' | sha256sum
    expect(scenarioHash(doc)).toBe(
      'efbd0040190fb0871831e606c581f8a66db79d8e2bb836745a70051306956070',
    );
  });

  it('gives the same hash for the same content built separately', () => {
    const make = () => ({ name: 's', venues: [{ id: 'p', holdings: { ETH: 10, USDC: 20000 } }] });
    expect(scenarioHash(make())).toBe(scenarioHash(make()));
    expect(scenarioHash(structuredClone(make()))).toBe(scenarioHash(make()));
  });

  it('changes when a value changes', () => {
    expect(scenarioHash({ seed: 1 })).not.toBe(scenarioHash({ seed: 2 }));
  });

  it('changes with key order, by design: the order of holdings decides pool sides', () => {
    const a = { holdings: { ETH: 10, USDC: 20000 } };
    const b = { holdings: { USDC: 20000, ETH: 10 } };
    expect(scenarioHash(a)).not.toBe(scenarioHash(b));
  });
});
