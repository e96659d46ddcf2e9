export const LOAD_KINDS = ['read', 'create', 'search'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];
export type Mix = Record<LoadKind, number>;

/**
 * Deals kinds from shuffled decks holding each kind as often as its weight: the order is random, as with a
 * weighted coin, but every deck honours the mix exactly, so even a run of a few hundred requests has the proportions
 * asked for (a coin's would wander by several percent).
 */
export function createMixDealer(mix: Mix, random: () => number = Math.random): () => LoadKind {
  const deck: LoadKind[] = [];
  return () => {
    if (deck.length === 0) {
      for (const kind of LOAD_KINDS) for (let copy = 0; copy < mix[kind]; copy++) deck.push(kind);
      // Fisher-Yates.
      for (let index = deck.length - 1; index > 0; index--) {
        const other = Math.floor(random() * (index + 1));
        [deck[index], deck[other]] = [deck[other] as LoadKind, deck[index] as LoadKind];
      }
    }
    return deck.pop() as LoadKind;
  };
}
