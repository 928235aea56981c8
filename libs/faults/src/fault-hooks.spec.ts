import { faultHooks, NO_FAULTS, parseFaultSpec, SimulatedCrash } from './fault-hooks';

describe('fault hooks (TEST_CRASH_AT)', () => {
  it('parses a point, a count and a mode', () => {
    expect(parseFaultSpec('relay-after-confirm')).toEqual({ point: 'relay-after-confirm', after: 1, mode: 'kill' });
    expect(parseFaultSpec('consumer-after-commit:20')).toEqual({ point: 'consumer-after-commit', after: 20, mode: 'kill' });
    expect(parseFaultSpec('relay-after-confirm:1:throw')).toEqual({ point: 'relay-after-confirm', after: 1, mode: 'throw' });
    expect(() => parseFaultSpec('somewhere')).toThrow('must be one of');
    expect(() => parseFaultSpec('relay-after-confirm:0')).toThrow('positive whole number');
    expect(() => parseFaultSpec('relay-after-confirm:1:explode')).toThrow('"kill" or "throw"');
  });

  it('kills once, on the n-th pass of its own point only', () => {
    let kills = 0;
    const hooks = faultHooks({ point: 'consumer-after-commit', after: 3, mode: 'kill' }, () => kills++);
    for (let i = 0; i < 5; i++) hooks.at('consumer-before-commit');
    expect(kills).toBe(0);
    hooks.at('consumer-after-commit');
    hooks.at('consumer-after-commit');
    expect(kills).toBe(0);
    hooks.at('consumer-after-commit');
    hooks.at('consumer-after-commit');
    expect(kills).toBe(1);
  });

  it('throws a SimulatedCrash from the n-th pass on, in throw mode', () => {
    const hooks = faultHooks({ point: 'relay-after-confirm', after: 2, mode: 'throw' });
    expect(() => hooks.at('relay-after-confirm')).not.toThrow();
    expect(() => hooks.at('relay-after-confirm')).toThrow(SimulatedCrash);
    expect(() => hooks.at('relay-after-confirm')).toThrow('simulated crash at relay-after-confirm');
  });

  it('does nothing unarmed', () => {
    expect(faultHooks(undefined)).toBe(NO_FAULTS);
    expect(() => NO_FAULTS.at('relay-after-confirm')).not.toThrow();
  });
});
