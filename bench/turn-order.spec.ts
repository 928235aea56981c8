import { turnOrder } from './turn-order';

const MODES = ['off', 'metrics', 'on', 'sampled', 'statements'];
const count = (turns: string[]) => Object.fromEntries(MODES.map((m) => [m, turns.filter((t) => t === m).length]));

describe('turnOrder', () => {
  it('goes there and back without a seed', () => {
    expect(turnOrder(['a', 'b', 'c'], 2, false)).toEqual(['a', 'b', 'c', 'c', 'b', 'a', 'a', 'b', 'c', 'c', 'b', 'a']);
    expect(turnOrder(['a', 'b'], 1, true)).toEqual(['a', 'b']);
  });

  it('gives every mode the same number of turns and mean position when shuffled', () => {
    const turns = turnOrder(MODES, 3, false, 42);
    expect(turns).toHaveLength(30);
    expect(count(turns)).toEqual(Object.fromEntries(MODES.map((m) => [m, 6])));
    const meanPosition = (m: string) => turns.reduce((sum, t, i) => (t === m ? sum + i : sum), 0) / 6;
    for (const m of MODES) expect(meanPosition(m)).toBe(meanPosition(MODES[0]));
    expect(count(turnOrder(MODES, 2, true, 42))).toEqual(Object.fromEntries(MODES.map((m) => [m, 2])));
  });

  it('replays from its seed, and varies what precedes a mode', () => {
    expect(turnOrder(MODES, 3, false, 7)).toEqual(turnOrder(MODES, 3, false, 7));
    expect(turnOrder(MODES, 3, false, 7)).not.toEqual(turnOrder(MODES, 3, false, 8));
    const turns = turnOrder(MODES, 3, false, 7);
    const before = new Set(turns.flatMap((t, i) => (t === 'sampled' && i > 0 ? [turns[i - 1]] : [])));
    expect(before.size).toBeGreaterThan(1);
  });
});
