import { PublicSnapshot } from '../snapshot/snapshot.types';

const escape = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One ledger cell, pre-filled so the first paint already shows numbers; the stream updates it. */
function cell(testId: string, label: string, value: number | undefined, hint: string, tone = ''): string {
  return `<div class="cell ${tone}"><div class="label">${label}</div><div class="value" data-testid="${testId}">${value ?? '–'}</div><div class="hint">${hint}</div></div>`;
}

export interface PageSession {
  operatorEnabled: boolean;
  /** The signed-in operator's name, or null. */
  operator: string | null;
  signIn: 'failed' | 'limited' | null;
}

/**
 * The console's single page: a static shell with the public ledger counts (numbers only), then
 * kept live by /assets/console.js (TypeScript from apps/console/web, bundled at build time) over
 * Server-Sent Events. No inline script or style: the page's policy is `default-src 'self'` without
 * 'unsafe-inline'. Sign-in is a plain form post, so the token never passes through the page's
 * JavaScript. The only text put here from outside is the operator's name, escaped.
 */
export function renderPage(snapshot: PublicSnapshot | undefined, session: PageSession): string {
  const l = snapshot?.ledger;
  const failed =
    session.signIn === 'failed'
      ? ' <span class="bad">wrong token</span>'
      : session.signIn === 'limited'
        ? ' <span class="bad">too many failed sign-ins; wait a minute</span>'
        : '';
  const signIn = !session.operatorEnabled
    ? '<span class="muted">read-only: OPERATOR_TOKEN / OPERATOR_TOKENS are not set</span>'
    : session.operator !== null
      ? `<form method="post" action="/api/session/sign-out" class="inline"><span class="ok" data-testid="signed-in">signed in as <b data-testid="operator-name">${escape(session.operator)}</b></span> <button>Sign out</button></form>`
      : `<form method="post" action="/api/session" class="inline" data-testid="sign-in"><input type="password" name="token" placeholder="operator token" autocomplete="current-password" required maxlength="256"> <button>Sign in</button>${failed}</form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payments console</title>
<link rel="stylesheet" href="/assets/console.css"></head>
<body data-signed-in="${session.operator !== null}">
<header><h1>Payments console</h1><div class="session">${signIn}</div></header>
<section class="ledger" aria-label="ledger">
  ${cell('ledger-paid', 'Paid orders', l?.paid, 'each owes 1 coupon + 1 red packet')}
  ${cell('ledger-granted-coupons', 'Coupons', l?.granted.coupons, 'granted')}
  ${cell('ledger-granted-red-packets', 'Red packets', l?.granted.redPackets, 'granted')}
  ${cell('ledger-in-flight', 'In flight', l?.inFlight, 'outbox, queues, retries, held')}
  ${cell('ledger-dead-lettered', 'Dead-lettered', l?.deadLettered, 'kept, re-drivable')}
  ${cell('ledger-discarded', 'Discarded', l?.discarded, 'given up, with a comment')}
  ${cell('ledger-lost', 'Lost', l?.lost, 'must stay 0', 'must-zero')}
  ${cell('ledger-duplicated', 'Duplicated', l?.duplicated, 'must stay 0', 'must-zero')}
  <div class="cell status"><div class="label">Ledger</div><div class="value small" id="ledger-status">${l ? (l.settled ? 'exact (quiet)' : 'moving') : 'waiting'}</div><div class="hint" id="ledger-at"></div></div>
</section>
<div id="named" class="alert" hidden></div>
<main>
<section class="panel actions" aria-label="actions">
  <h2>Pay</h2>
  <div class="row"><button data-action="pay-one">Pay 1 order</button>
  <label>Burst <input id="burst-n" type="number" min="1" max="1000" value="50"></label><button data-action="burst">Pay burst</button></div>
  <div class="row"><label>Steady <input id="steady-rate" type="number" min="0.1" max="200" step="0.1" value="10"> orders/s</label>
  <button data-action="steady-start">Start</button><button data-action="steady-stop">Stop</button> <span id="steady-state" class="muted"></span></div>
  <h2>Break</h2>
  <div id="chaos-rows"></div>
  <div id="action-result" class="muted" role="status"></div>
</section>
<section class="panel pipeline-panel" aria-label="pipeline"><h2>Pipeline</h2><div id="pipeline"></div>
<div class="charts"><figure><figcaption>Grants / s (last 5 min)</figcaption><div id="chart-rate"></div></figure>
<figure><figcaption>End-to-end lag, s (in flight ÷ grant rate)</figcaption><div id="chart-lag"></div></figure></div></section>
<section class="panel wide" aria-label="dead letters" id="dead-letters-view"><h2>Dead letters</h2>
  <div id="dead-letters" data-testid="dead-letters-view"></div>
  <div id="group-letters" hidden></div>
  <div id="letter-detail" hidden></div>
  <div id="jobs"></div>
</section>
<section class="panel wide" aria-label="audit trail"><h2>Audit trail</h2>
  <div class="row"><button data-action="audit-refresh">Refresh</button></div>
  <div id="audit"></div></section>
<section class="panel wide" aria-label="order story"><h2>One order's story</h2>
  <form id="timeline-form" class="row"><input id="order-id" placeholder="order id (UUID)" size="38"><button>Show timeline</button></form>
  <div class="muted">Recent orders paid from this page: <span id="recent-orders"></span></div>
  <ol id="timeline" class="timeline"></ol></section>
</main>
<script src="/assets/console.js" defer></script>
</body></html>`;
}
