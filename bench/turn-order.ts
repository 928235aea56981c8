import { Prng } from '../tools/nemesis/prng';

/** A Fisher–Yates shuffle driven by the seeded PRNG (replayable from the seed). */
function shuffled<M>(modes: readonly M[], prng: Prng): M[] {
  const copy = [...modes];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * The counted turns of the observability-cost phase: per pass the modes there and back, so that
 * each mode's mean position in the run is the same and a drift of the machine weighs on each alike.
 * Without a seed "there" is the given order, and each mode always follows the same neighbours; with
 * a seed it is a fresh shuffle each pass, so what a turn leaves behind (MariaDB purging the schemas
 * it dropped, a busier broker) falls on varying successors. One way only ("there") for --quick.
 */
export function turnOrder<M>(modes: readonly M[], pairs: number, oneWay: boolean, seed?: number): M[] {
  const prng = seed ? new Prng(seed) : undefined;
  const pass = (): M[] => {
    const there = prng ? shuffled(modes, prng) : [...modes];
    return oneWay ? there : [...there, ...[...there].reverse()];
  };
  return Array.from({ length: pairs }, pass).flat();
}
