import { DeadLetterAlerts } from './dead-letter.alerts';
import { DeadLetter } from './dead-letter.entity';
import { DeadLettersOptions } from './dead-letters.options';

/**
 * The summary of a flood must go out when its window ends even if no letter follows. The timer
 * that sends it can fire a little before the window's end by Date.now(); it then found nothing to
 * roll and the count waited for a next letter (CI, 3 December: a flood of 80 letters stored within
 * one 2 s window, no summary within 10 s).
 */
describe('DeadLetterAlerts summary timer', () => {
  let now = 1_000;
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('sends the summary at the window end even when its timer fires early by the wall clock', () => {
    const alerts = new DeadLetterAlerts({ alertBurst: 1, alertWindowMs: 2_000 } as DeadLettersOptions);
    const emitted: Array<Record<string, unknown>> = [];
    jest.spyOn(alerts as any, 'emit').mockImplementation((alert: unknown) => void emitted.push(alert as Record<string, unknown>));
    const letter = { id: '1', messageId: 'm', originalQueue: 'q', reason: 'poison', errorCode: 'E', errorMessage: 'e', attempts: 1 } as unknown as DeadLetter;
    alerts.raise(letter);
    alerts.raise(letter);
    alerts.raise(letter);
    expect(emitted.map((a) => a.alert)).toEqual(['dead_letter']);

    now = 2_999; // the timer's 2,000 ms are up, the wall clock is 1 ms short of the window's end
    jest.advanceTimersByTime(2_000);
    now = 3_000;
    jest.advanceTimersByTime(10);
    expect(emitted.map((a) => a.alert)).toEqual(['dead_letter', 'dead_letter_summary']);
    expect(emitted[1]).toMatchObject({ suppressed: 2 });
  });
});
