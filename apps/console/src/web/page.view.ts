import { Snapshot } from '../snapshot/snapshot.types';

const escape = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One ledger cell, pre-filled so the first paint already shows numbers; the stream updates it. */
function cell(testId: string, label: string, value: number | undefined, hint: string, tone = ''): string {
  return `<div class="cell ${tone}"><div class="label">${label}</div><div class="value" data-testid="${testId}">${value ?? '–'}</div><div class="hint">${hint}</div></div>`;
}

/**
 * The console's single page: server-rendered with the latest snapshot, then kept live by
 * /assets/console.js over Server-Sent Events. Sign-in is a plain form post, so the token never
 * passes through the page's JavaScript.
 */
export function renderPage(snapshot: Snapshot | undefined, session: { operatorEnabled: boolean; signedIn: boolean; failed: boolean }): string {
  const l = snapshot?.ledger;
  const signIn = !session.operatorEnabled
    ? '<span class="muted">read-only: OPERATOR_TOKEN is not set</span>'
    : session.signedIn
      ? '<form method="post" action="/api/session/sign-out" class="inline"><span class="ok" data-testid="signed-in">operator signed in</span> <button>Sign out</button></form>'
      : `<form method="post" action="/api/session" class="inline" data-testid="sign-in"><input type="password" name="token" placeholder="operator token" autocomplete="current-password" required> <button>Sign in</button>${session.failed ? ' <span class="bad">wrong token</span>' : ''}</form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payments console</title>
<style>${CSS}</style></head>
<body data-signed-in="${session.signedIn}">
<header><h1>Payments console</h1><div class="session">${signIn}</div></header>
<section class="ledger" aria-label="ledger">
  ${cell('ledger-paid', 'Paid orders', l?.paid, 'each owes 1 coupon + 1 red packet')}
  ${cell('ledger-granted-coupons', 'Coupons', l?.granted.coupons, 'granted')}
  ${cell('ledger-granted-red-packets', 'Red packets', l?.granted.redPackets, 'granted')}
  ${cell('ledger-in-flight', 'In flight', l?.inFlight, 'outbox, queues, retries, held')}
  ${cell('ledger-dead-lettered', 'Dead-lettered', l?.deadLettered, 'kept, re-drivable')}
  ${cell('ledger-lost', 'Lost', l?.lost, 'must stay 0', 'must-zero')}
  ${cell('ledger-duplicated', 'Duplicated', l?.duplicated, 'must stay 0', 'must-zero')}
  <div class="cell status"><div class="label">Ledger</div><div class="value small" id="ledger-status">${l ? (l.settled ? 'exact (quiet)' : 'moving') : 'waiting'}</div><div class="hint" id="ledger-at">${escape(l?.at ?? '')}</div></div>
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
<section class="panel wide" aria-label="dead letters"><h2>Dead letters</h2><div id="dead-letters"></div><pre id="letter-detail" hidden></pre></section>
<section class="panel wide" aria-label="order story"><h2>One order's story</h2>
  <form id="timeline-form" class="row"><input id="order-id" placeholder="order id (UUID)" size="38"><button>Show timeline</button></form>
  <div class="muted">Recent orders paid from this page: <span id="recent-orders"></span></div>
  <ol id="timeline" class="timeline"></ol></section>
</main>
<script src="/assets/console.js" defer></script>
</body></html>`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
header{display:flex;justify-content:space-between;align-items:center;padding:10px 20px;background:#1d2330;color:#fff}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:4px 0 8px}
.session input{width:200px}.inline{display:inline}
.ledger{position:sticky;top:0;z-index:2;display:grid;grid-template-columns:repeat(8,1fr);gap:8px;padding:10px 20px;background:#fff;border-bottom:1px solid #d8dce3}
.cell{padding:6px 10px;border-radius:6px;background:#f4f5f7}.cell .label{font-size:12px;color:#5b6472}.cell .value{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}
.cell .value.small{font-size:16px;padding:6px 0}.cell .hint{font-size:11px;color:#7a8390}
.must-zero .value{color:#1f7a3a}.must-zero.alarm{background:#fde2e1}.must-zero.alarm .value{color:#b42318}
main{display:grid;grid-template-columns:minmax(340px,1fr) 2.6fr;gap:12px;padding:12px 20px}
.panel{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:10px 14px;min-width:0}
.wide{grid-column:1/-1}.row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}
input[type=number]{width:70px}button{cursor:pointer;padding:4px 10px;border:1px solid #9aa3b0;border-radius:4px;background:#fff}button:hover{background:#eef1f5}
button:disabled{opacity:.5;cursor:not-allowed}
.muted{color:#6b7380}.ok{color:#1f7a3a}.bad{color:#b42318}.alert{margin:8px 20px;padding:8px 12px;background:#fde2e1;border:1px solid #f3b4b0;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eceef2}
.timeline{font-size:13px;padding-left:20px}.timeline li{margin:2px 0}.timeline .ev{font-weight:600}
.charts{display:flex;gap:12px;flex-wrap:wrap}figure{margin:6px 0}figcaption{font-size:12px;color:#5b6472}
pre{background:#f4f5f7;padding:8px;max-height:240px;overflow:auto;font-size:12px}
svg text{font:12px system-ui,sans-serif}
`;
