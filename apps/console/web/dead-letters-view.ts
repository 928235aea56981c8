import { ConsumerName } from '@reliable-payments/contracts';
import { send } from './api';
import { byId, dateTime, el, replaceChildren } from './dom';
import { AnySnapshot, consumerNames, LABELS } from './labels';
import { renderJobs } from './jobs-view';
import { LetterDetail, LetterRow, renderLetterDetail } from './letter-detail-view';
import { checkEditedPayload } from './payload-check';

interface FailureGroup {
  fingerprint: string;
  errorCode: string;
  count: number;
  firstAt: string;
  lastAt: string;
  sampleError: string;
  sampleId: string;
}

type Say = (text: string, bad?: boolean) => void;

/**
 * The dead-letters view: failure groups per consumer (counts, first and last seen, a sample
 * error), one group's letters, one letter's headers, error and payload, and the actions on them.
 * Every value from a letter is put in as text (`el`, textContent): a payload or header holding
 * markup is shown as characters and runs nothing.
 */
export class DeadLettersView {
  private groupsKey = '';
  private groups: Partial<Record<ConsumerName, FailureGroup[]>> = {};
  private openGroup?: { consumer: ConsumerName; group: FailureGroup };
  private openLetter?: { consumer: ConsumerName; letter: LetterDetail };

  constructor(
    private readonly signedIn: boolean,
    private readonly say: Say,
    private readonly changed: () => void,
  ) {}

  /** Called with every snapshot: the groups are read again when a consumer's pending count moved. */
  render(s: AnySnapshot): void {
    const key = consumerNames(s)
      .map((name) => `${name}:${s.consumers[name].deadLetters.pending}`)
      .join('|');
    if (this.signedIn && key !== this.groupsKey) {
      this.groupsKey = key;
      void this.loadGroups(s);
    } else if (!this.signedIn) this.renderGroups(s);
    if (s.signedIn) renderJobs(s.jobs);
  }

  private async loadGroups(s: AnySnapshot): Promise<void> {
    try {
      const answer = await send<{ consumers: Record<ConsumerName, { groups: FailureGroup[]; error?: string }> }>('GET', '/api/dead-letters/groups');
      this.groups = Object.fromEntries(Object.entries(answer.consumers).map(([name, g]) => [name, g.groups])) as typeof this.groups;
    } catch (error) {
      this.say((error as Error).message, true);
    }
    this.renderGroups(s);
    if (this.openGroup) await this.showGroup(this.openGroup.consumer, this.openGroup.group.fingerprint);
  }

  private renderGroups(s: AnySnapshot): void {
    const box = byId('dead-letters');
    const sections = consumerNames(s).map((name) => {
      const pending = s.consumers[name].deadLetters.pending;
      const title = el('h3', {}, `${LABELS[name]}: ${pending} pending`);
      if (!this.signedIn) return el('div', {}, title, pending > 0 ? el('div', { class: 'muted' }, 'sign in to see the failure groups') : null);
      const groups = this.groups[name] ?? [];
      if (groups.length === 0) return el('div', {}, title);
      const rows = groups.map((g) =>
        el(
          'tr',
          { 'data-fingerprint': g.fingerprint },
          el('td', {}, el('code', {}, g.errorCode)),
          el('td', { class: 'num' }, g.count),
          el('td', {}, dateTime(g.firstAt)),
          el('td', {}, dateTime(g.lastAt)),
          el('td', { class: 'sample' }, g.sampleError),
          el(
            'td',
            { class: 'buttons' },
            el('button', { 'data-action': 'open-group', 'data-consumer': name, 'data-fingerprint': g.fingerprint }, 'Open'),
            el('button', { 'data-action': 'redrive-group', 'data-consumer': name, 'data-fingerprint': g.fingerprint }, 'Re-drive all'),
            el(
              'label',
              {},
              ' paced ',
              el('input', { type: 'number', min: 1, max: 1000, value: 2, 'data-role': 'rate', 'aria-label': 'letters per second' }),
              '/s ',
            ),
            el('button', { 'data-action': 'paced-redrive', 'data-consumer': name, 'data-fingerprint': g.fingerprint }, 'Start paced re-drive'),
          ),
        ),
      );
      return el(
        'div',
        {},
        title,
        el(
          'table',
          { 'data-testid': `dead-letters-${name}`, class: 'groups' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', {}, 'error code'),
              el('th', {}, 'letters'),
              el('th', {}, 'first seen'),
              el('th', {}, 'last seen'),
              el('th', {}, 'sample error'),
              el('th', {}, ''),
            ),
          ),
          el('tbody', {}, ...rows),
        ),
      );
    });
    replaceChildren(box, ...sections);
  }

  private async showGroup(consumer: ConsumerName, fingerprint: string): Promise<void> {
    const group = this.groups[consumer]?.find((g) => g.fingerprint === fingerprint);
    const box = byId('group-letters');
    if (!group) {
      box.hidden = true;
      this.openGroup = undefined;
      return;
    }
    this.openGroup = { consumer, group };
    const { items, truncated } = await send<{ items: LetterRow[]; truncated: boolean }>(
      'GET',
      `/api/dead-letters/${consumer}/letters?fingerprint=${encodeURIComponent(fingerprint)}`,
    );
    const rows = items.map((l) =>
      el(
        'tr',
        { 'data-letter': l.id },
        el('td', {}, l.id),
        el('td', {}, el('code', {}, l.messageId ?? '')),
        el('td', {}, l.reason),
        el('td', {}, l.attempts),
        el('td', {}, dateTime(l.deadLetteredAt)),
        el('td', { class: 'sample' }, l.errorMessage),
        el('td', {}, el('button', { 'data-action': 'open-letter', 'data-consumer': consumer, 'data-id': l.id }, 'Open')),
      ),
    );
    replaceChildren(
      box,
      el('h3', {}, `${LABELS[consumer]} · ${group.errorCode} · ${items.length} letter(s)${truncated ? ' (first 100)' : ''}`),
      el(
        'table',
        { 'data-testid': 'group-letters' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, 'id'),
            el('th', {}, 'message id'),
            el('th', {}, 'reason'),
            el('th', {}, 'attempts'),
            el('th', {}, 'dead-lettered'),
            el('th', {}, 'error'),
            el('th', {}, ''),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    );
    box.hidden = false;
  }

  private async showLetter(consumer: ConsumerName, id: string): Promise<void> {
    const letter = await send<LetterDetail>('GET', `/api/dead-letters/${consumer}/${id}`);
    this.openLetter = { consumer, letter };
    renderLetterDetail(consumer, letter);
  }

  /** Runs a dead-letters action; false when `action` is not one of this view's. */
  handle(action: string, target: HTMLElement): boolean {
    const consumer = target.dataset.consumer as ConsumerName;
    const id = target.dataset.id ?? '';
    const fingerprint = target.dataset.fingerprint ?? '';
    const run = (work: Promise<string>) =>
      work.then(
        (text) => {
          this.say(text);
          this.changed();
        },
        (error: Error) => this.say(error.message, true),
      );
    switch (action) {
      case 'open-group':
        void run(this.showGroup(consumer, fingerprint).then(() => `group ${fingerprint} opened`));
        return true;
      case 'open-letter':
        void run(this.showLetter(consumer, id).then(() => `letter ${id} opened`));
        return true;
      case 'redrive-group':
        void run(
          send<{ redriven: number; skipped: number; failed: number }>('POST', `/api/actions/redrive/${consumer}`, { fingerprint }).then(
            (r) => `re-driven ${r.redriven}, skipped ${r.skipped}, failed ${r.failed}`,
          ),
        );
        return true;
      case 'paced-redrive': {
        const rate = Number(target.closest('tr')?.querySelector<HTMLInputElement>('[data-role=rate]')?.value ?? 1);
        void run(
          send<{ jobId: string }>('POST', `/api/dead-letters/${consumer}/redrive-jobs`, { fingerprint, ratePerSecond: rate }).then(
            (r) => `paced re-drive ${r.jobId} started at ${rate}/s`,
          ),
        );
        return true;
      }
      case 'cancel-job':
        void run(send('DELETE', `/api/dead-letters/${consumer}/redrive-jobs/${id}`).then(() => `job ${id} cancelled`));
        return true;
      case 'redrive-letter':
        void run(send('POST', `/api/dead-letters/${consumer}/${id}/redrive`).then(() => this.afterLetterAction(`letter ${id} re-driven`)));
        return true;
      case 'discard-letter': {
        const comment = byId('letter-detail').querySelector<HTMLInputElement>('[data-testid=discard-comment]')?.value.trim() ?? '';
        if (!comment) {
          this.say('A discard needs a comment: why should this letter never run?', true);
          return true;
        }
        void run(send('POST', `/api/dead-letters/${consumer}/${id}/discard`, { comment }).then(() => this.afterLetterAction(`letter ${id} discarded`)));
        return true;
      }
      case 'edit-letter': {
        const detail = byId('letter-detail');
        const text = detail.querySelector<HTMLTextAreaElement>('[data-testid=edit-payload]')?.value ?? '';
        const comment = detail.querySelector<HTMLInputElement>('[data-testid=edit-comment]')?.value.trim() ?? '';
        const { problems, value } = checkEditedPayload(consumer, text, this.openLetter?.letter.messageId ?? null);
        if (problems.length || !value) {
          this.say(problems.join('; '), true);
          return true;
        }
        if (!comment) {
          this.say('An edit needs a comment: what was wrong?', true);
          return true;
        }
        void run(
          send('POST', `/api/dead-letters/${consumer}/${id}/edit-and-redrive`, { payload: value, comment }).then(() =>
            this.afterLetterAction(`letter ${id} edited and re-driven`),
          ),
        );
        return true;
      }
      default:
        return false;
    }
  }

  private afterLetterAction(text: string): string {
    byId('letter-detail').hidden = true;
    this.openLetter = undefined;
    this.groupsKey = ''; // read the groups again with the next snapshot
    return text;
  }
}
