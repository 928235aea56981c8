import { ConsumerName } from '@reliable-payments/contracts';
import { byId, el, replaceChildren } from './dom';
import { checkEditedPayload } from './payload-check';

export interface LetterRow {
  id: string;
  messageId: string | null;
  status: string;
  reason: string;
  errorCode: string;
  errorClass: string;
  errorMessage: string;
  attempts: number;
  deadLetteredAt: string;
  fingerprint: string;
  redrivable: boolean;
  headers: Record<string, string>;
  comment: string | null;
}

export interface LetterDetail extends LetterRow {
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
  editedPayload: string | null;
}

/**
 * One letter: its facts, the project's failure headers, the payload as stored (and the edit sent
 * instead, if any), and, while pending, the actions: re-drive, discard with a comment, and a JSON
 * editor checked as you type with the consumer's contract (`checkEditedPayload`). Every value is
 * text: a payload holding markup shows as characters.
 */
export function renderLetterDetail(consumer: ConsumerName, letter: LetterDetail): void {
  const id = letter.id;
  const pretty = prettyPayload(letter);
  const editor = el('textarea', { 'data-testid': 'edit-payload', rows: 12, cols: 80, spellcheck: false });
  editor.value = pretty;
  const problems = el('div', { 'data-testid': 'edit-error', class: 'bad', role: 'alert' });
  const editButton = el('button', { 'data-action': 'edit-letter', 'data-consumer': consumer, 'data-id': id }, 'Edit and retry');
  const check = () => {
    const { problems: found } = checkEditedPayload(consumer, editor.value, letter.messageId);
    problems.textContent = found.join('\n');
    editButton.disabled = found.length > 0;
  };
  editor.addEventListener('input', check);
  const pending = letter.status === 'PENDING';
  replaceChildren(
    byId('letter-detail'),
    el('h3', {}, `Letter ${letter.id} · ${letter.status}`),
    el(
      'dl',
      { class: 'facts', 'data-testid': 'letter-facts' },
      el('dt', {}, 'message id'),
      el('dd', {}, letter.messageId ?? ''),
      el('dt', {}, 'reason'),
      el('dd', {}, letter.reason),
      el('dt', {}, 'error'),
      el('dd', { 'data-testid': 'letter-error' }, `${letter.errorCode} ${letter.errorClass}: ${letter.errorMessage}`),
      el('dt', {}, 'attempts'),
      el('dd', {}, letter.attempts),
      letter.comment ? el('dt', {}, 'comment') : null,
      letter.comment ? el('dd', {}, letter.comment) : null,
    ),
    el('h4', {}, 'Headers'),
    el(
      'table',
      { 'data-testid': 'letter-headers' },
      el('tbody', {}, ...Object.entries(letter.headers).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))),
    ),
    el('h4', {}, `Payload (${letter.payloadEncoding})`),
    el('pre', { 'data-testid': 'letter-payload' }, pretty),
    letter.editedPayload ? el('h4', {}, 'Edited payload (sent instead)') : null,
    letter.editedPayload ? el('pre', {}, letter.editedPayload) : null,
    pending
      ? el(
          'div',
          { class: 'letter-actions' },
          el('div', { class: 'row' }, el('button', { 'data-action': 'redrive-letter', 'data-consumer': consumer, 'data-id': id }, 'Re-drive as it is')),
          el(
            'div',
            { class: 'row' },
            el('input', { 'data-testid': 'discard-comment', placeholder: 'why discard (required)', maxlength: 500, size: 50 }),
            el('button', { 'data-action': 'discard-letter', 'data-consumer': consumer, 'data-id': id }, 'Discard'),
          ),
          el('h4', {}, 'Edit and retry'),
          editor,
          problems,
          el(
            'div',
            { class: 'row' },
            el('input', { 'data-testid': 'edit-comment', placeholder: 'what was wrong (required)', maxlength: 500, size: 50 }),
            editButton,
          ),
        )
      : null,
  );
  byId('letter-detail').hidden = false;
  check();
}

function prettyPayload(letter: LetterDetail): string {
  if (letter.payloadEncoding !== 'utf8') return letter.payload;
  try {
    return JSON.stringify(JSON.parse(letter.payload), null, 2);
  } catch {
    return letter.payload;
  }
}
