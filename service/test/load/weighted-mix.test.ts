import { describe, expect, it } from 'vitest';
import { createMixDealer, type LoadKind } from '../../load/weighted-mix.js';

function deal(count: number, dealer: () => LoadKind): Record<LoadKind, number> {
  const counts = { read: 0, create: 0, search: 0 };
  for (let index = 0; index < count; index++) counts[dealer()] += 1;
  return counts;
}

describe('dealing the mix', () => {
  it('deals every deck of 6 exactly 3 reads, 1 create and 2 searches', () => {
    const dealer = createMixDealer({ read: 3, create: 1, search: 2 });
    for (let deck = 0; deck < 50; deck++) expect(deal(6, dealer)).toEqual({ read: 3, create: 1, search: 2 });
  });

  it('never deals a kind of weight 0', () => {
    expect(deal(100, createMixDealer({ read: 0, create: 2, search: 0 }))).toEqual({ read: 0, create: 100, search: 0 });
  });

  it('shuffles: the order changes from deck to deck', () => {
    const dealer = createMixDealer({ read: 3, create: 1, search: 2 });
    const orders = new Set(Array.from({ length: 40 }, () => Array.from({ length: 6 }, dealer).join()));
    expect(orders.size).toBeGreaterThan(5);
  });
});
