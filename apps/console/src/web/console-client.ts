/**
 * The page's script (served as /assets/console.js): renders each snapshot from the event stream,
 * draws the pipeline and charts as SVG, and sends actions as same-origin JSON posts. It never sees
 * the operator token: the session cookie is HttpOnly and sign-in is a plain form post.
 */
import { ConsumerName, COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';

/** How the page labels each consumer (snapshots key consumers by name: `consumers['coupon-service']`). */
const LABELS: Record<ConsumerName, string> = { [COUPON_CONSUMER.name]: 'Coupons', [RED_PACKET_CONSUMER.name]: 'Red packets' };

export const CLIENT_SCRIPT = String.raw`'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var signedIn = document.body.getAttribute('data-signed-in') === 'true';
  var NAMES = ${JSON.stringify(LABELS)};
  var last = null;
  function esc(v) { return String(v == null ? '' : v).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) + '.' + String(new Date(iso).getMilliseconds()).padStart(3, '0') : ''; }
  function delay(ms) { return ms >= 60000 ? (ms / 60000) + 'm' : ms >= 1000 ? (ms / 1000) + 's' : ms + 'ms'; }

  function setCell(id, v) { var el = document.querySelector('[data-testid="' + id + '"]'); if (el) el.textContent = v; }
  function renderLedger(s) {
    var l = s.ledger;
    setCell('ledger-paid', l.paid); setCell('ledger-granted-coupons', l.granted.coupons); setCell('ledger-granted-red-packets', l.granted.redPackets);
    setCell('ledger-in-flight', l.inFlight); setCell('ledger-dead-lettered', l.deadLettered); setCell('ledger-lost', l.lost); setCell('ledger-duplicated', l.duplicated);
    ['ledger-lost', 'ledger-duplicated'].forEach(function (id) { document.querySelector('[data-testid="' + id + '"]').parentNode.classList.toggle('alarm', (id === 'ledger-lost' ? l.lost : l.duplicated) > 0); });
    $('ledger-status').textContent = !l.fresh ? 'waiting on a source (gap in flight)' : l.settled ? 'exact (quiet)' : 'moving';
    $('ledger-at').textContent = time(l.at);
    var named = $('named');
    if (s.named) {
      var parts = [];
      Object.keys(s.named).forEach(function (k) {
        if (s.named[k].lost.length) parts.push(NAMES[k] + ' lost: ' + s.named[k].lost.join(', '));
        if (s.named[k].duplicated.length) parts.push(NAMES[k] + ' duplicated: ' + s.named[k].duplicated.join(', '));
      });
      named.textContent = parts.join(' · '); named.hidden = parts.length === 0;
    } else named.hidden = true;
  }

  function box(x, y, w, h, title, value, sub, tone) {
    var fill = tone === 'bad' ? '#fde2e1' : tone === 'warn' ? '#fff4d6' : tone === 'ok' ? '#e3f4e8' : '#eef1f5';
    return '<g><rect x="' + x + '" y="' + y + '" width="' + w + '" height="' + h + '" rx="6" fill="' + fill + '" stroke="#9aa3b0"/>' +
      '<text x="' + (x + 8) + '" y="' + (y + 16) + '" fill="#5b6472">' + esc(title) + '</text>' +
      '<text x="' + (x + 8) + '" y="' + (y + 36) + '" style="font-size:18px;font-weight:600">' + esc(value) + '</text>' +
      (sub ? '<text x="' + (x + 8) + '" y="' + (y + h - 7) + '" fill="#5b6472" style="font-size:11px">' + esc(sub) + '</text>' : '') + '</g>';
  }
  function arrow(x1, y1, x2, y2) { return '<line x1="' + x1 + '" y1="' + y1 + '" x2="' + x2 + '" y2="' + y2 + '" stroke="#7a8390" marker-end="url(#a)"/>'; }
  function renderPipeline(s) {
    var W = 860, lane = 190, svg = '<svg viewBox="0 0 ' + W + ' ' + (90 + 2 * lane) + '" width="100%" role="img" aria-label="pipeline"><defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#7a8390"/></marker></defs>';
    var o = s.order;
    svg += box(10, 10, 150, 60, 'Orders paid', o.paid, o.up ? o.created + ' created, unpaid' : 'order service: ' + (o.problem || 'down'), o.up ? '' : 'bad');
    svg += arrow(160, 40, 200, 40);
    svg += box(200, 10, 150, 60, 'Outbox pending', o.outboxPending, 'relay → confirms', o.outboxPending > 0 ? 'warn' : '');
    svg += arrow(350, 40, 390, 40);
    svg += box(390, 10, 170, 60, 'Exchange', 'payments.events', 'payment.succeeded', '');
    Object.keys(s.consumers).forEach(function (k, i) {
      var c = s.consumers[k], y = 90 + i * lane, q = c.queues;
      // From the exchange along the left edge into each consumer's queue, crossing no box.
      svg += '<path d="M475,70 V80 H4 V' + (y + 30) + ' H10" fill="none" stroke="#7a8390" marker-end="url(#a)"/>';
      var db = c.chaos && c.chaos.mode !== 'up' ? 'db ' + c.chaos.mode + ' (chaos)' : 'db ' + c.database;
      svg += box(12, y, 168, 60, NAMES[k] + ' queue', q.main.depth == null ? '?' : q.main.depth, (q.main.consumers == null ? '?' : q.main.consumers) + ' consumer(s)', q.main.depth > 0 ? 'warn' : '');
      svg += arrow(180, y + 30, 210, y + 30);
      var tone = !c.up ? 'bad' : c.state === 'consuming' ? 'ok' : 'warn';
      svg += box(210, y, 200, 60, c.service, c.state, (c.unacked ? c.unacked + ' held · ' : '') + db + (c.problem && c.problem !== 'database down' ? ' · ' + c.problem : ''), tone);
      svg += arrow(410, y + 30, 440, y + 30);
      svg += box(440, y, 150, 60, 'Grants issued', c.granted, '', 'ok');
      svg += arrow(590, y + 30, 620, y + 30);
      svg += box(620, y, 110, 60, 'DLQ', q.deadLetter.depth == null ? '?' : q.deadLetter.depth, 'to be stored', q.deadLetter.depth > 0 ? 'warn' : '');
      svg += box(740, y, 110, 60, 'Dead letters', c.deadLetters.pending, c.deadLetters.owed + ' owe a grant', c.deadLetters.pending > 0 ? 'bad' : '');
      var n = q.retry.length, rw = Math.min(120, Math.floor(840 / Math.max(n, 1)) - 6);
      svg += '<text x="10" y="' + (y + 84) + '" fill="#5b6472">retry levels (failed deliveries wait here, then return to the queue)</text>';
      q.retry.forEach(function (r, j) {
        var d = r.depth == null ? '?' : r.depth, moved = c.retriedByLevel[String(j + 1)] || 0;
        svg += box(10 + j * (rw + 6), y + 92, rw, 56, 'L' + (j + 1) + ' ' + delay(r.delayMs), d, moved ? moved + ' moved here' : '', r.depth > 0 ? 'warn' : '');
      });
    });
    $('pipeline').innerHTML = svg + '</svg>';
  }

  function chart(points, key, color) {
    var W = 380, H = 90, vals = points.map(function (p) { return p[key] == null ? 0 : p[key]; });
    var max = Math.max.apply(null, vals.concat([1]));
    var step = W / Math.max(vals.length - 1, 1);
    var line = vals.map(function (v, i) { return (i * step).toFixed(1) + ',' + (H - 4 - (v / max) * (H - 14)).toFixed(1); }).join(' ');
    var now = vals.length ? vals[vals.length - 1] : 0;
    return '<svg width="' + W + '" height="' + H + '" role="img"><rect width="' + W + '" height="' + H + '" fill="#f8f9fb"/>' +
      '<polyline fill="none" stroke="' + color + '" stroke-width="1.5" points="' + line + '"/>' +
      '<text x="4" y="12" fill="#5b6472">max ' + max + '</text><text x="' + (W - 4) + '" y="12" text-anchor="end">now ' + now + '</text></svg>';
  }

  function renderChaos(s) {
    var html = '';
    Object.keys(s.consumers).forEach(function (k) {
      var c = s.consumers[k], mode = c.chaos ? c.chaos.mode : 'unknown';
      var state = mode === 'up' ? '<span class="ok">healthy</span>' : mode === 'unknown' ? '<span class="muted">chaos off or not signed in</span>' : '<span class="bad">' + esc(mode) + (c.chaos.healsAt ? ' until ' + time(c.chaos.healsAt) : ' until healed') + '</span>';
      html += '<div class="row" data-consumer="' + k + '"><b>' + NAMES[k] + ' database</b> ' + state + '<br>' +
        '<select data-role="mode"><option>down</option><option>hang</option><option>slow</option></select>' +
        '<label> slow by <input data-role="latency" type="number" min="0" max="60000" value="500">ms</label>' +
        '<label> for <input data-role="duration" type="number" min="0" max="86400" value="0">s (0 = until healed)</label> ' +
        '<button data-action="chaos" data-testid="chaos-' + k + '">Break</button><button data-action="heal" data-testid="heal-' + k + '">Heal</button></div>';
    });
    var rows = $('chaos-rows');
    if (rows.getAttribute('data-built') !== 'yes') { rows.innerHTML = html; rows.setAttribute('data-built', 'yes'); }
    else Object.keys(s.consumers).forEach(function (k) {
      var c = s.consumers[k], mode = c.chaos ? c.chaos.mode : 'unknown', row = rows.querySelector('[data-consumer="' + k + '"]');
      var span = row.querySelector('span');
      span.className = mode === 'up' ? 'ok' : mode === 'unknown' ? 'muted' : 'bad';
      span.textContent = mode === 'up' ? 'healthy' : mode === 'unknown' ? 'chaos off or not signed in' : mode + (c.chaos.healsAt ? ' until ' + time(c.chaos.healsAt) : ' until healed');
    });
  }

  function renderDeadLetters(s) {
    var html = '';
    Object.keys(s.consumers).forEach(function (k) {
      var c = s.consumers[k], rows = s.deadLetterRows[k] || [];
      html += '<h3>' + NAMES[k] + ': ' + c.deadLetters.pending + ' pending</h3>';
      if (c.deadLetters.groups.length) html += '<div class="row">' + c.deadLetters.groups.map(function (g) {
        return '<button data-action="redrive-group" data-consumer="' + k + '" data-code="' + esc(g.errorCode) + '">Re-drive ' + esc(g.errorCode) + ' (' + g.count + ')</button>';
      }).join('') + '<button data-action="redrive-selected" data-consumer="' + k + '">Re-drive selected</button></div>';
      if (rows.length) html += '<table data-testid="dead-letters-' + k + '"><tr><th></th><th>id</th><th>reason</th><th>error code</th><th>attempts</th><th>first failure</th><th>last failure</th><th></th></tr>' + rows.map(function (r) {
        return '<tr><td><input type="checkbox" data-id="' + esc(r.id) + '"></td><td>' + esc(r.id) + '</td><td>' + esc(r.reason) + '</td><td>' + esc(r.errorCode) + '</td><td>' + r.attempts + '</td><td>' + time(r.firstFailedAt) + '</td><td>' + time(r.lastFailedAt) + '</td>' +
          '<td><button data-action="detail" data-consumer="' + k + '" data-id="' + esc(r.id) + '">detail</button> <button data-action="redrive-one" data-consumer="' + k + '" data-id="' + esc(r.id) + '">re-drive</button></td></tr>';
      }).join('') + '</table>';
      else if (c.deadLetters.pending > 0) html += '<div class="muted">sign in to list them</div>';
    });
    var box = $('dead-letters'), checked = {};
    box.querySelectorAll('input[type=checkbox]:checked').forEach(function (el) { checked[el.getAttribute('data-id')] = true; });
    box.innerHTML = html;
    box.querySelectorAll('input[type=checkbox]').forEach(function (el) { el.checked = !!checked[el.getAttribute('data-id')]; });
  }

  function render(s) {
    last = s;
    renderLedger(s); renderPipeline(s); renderChaos(s); renderDeadLetters(s);
    $('chart-rate').innerHTML = chart(s.series, 'grantsPerSecond', '#2563eb');
    $('chart-lag').innerHTML = chart(s.series, 'lagSeconds', '#c2410c');
    var st = s.load.steady;
    $('steady-state').textContent = st.running ? 'running at ' + st.rate + '/s · ' + st.paid + ' paid' + (st.failed ? ', ' + st.failed + ' failed' : '') : (st.paid ? 'stopped · ' + st.paid + ' paid' : '');
    $('recent-orders').innerHTML = s.load.recentOrders.slice(0, 8).map(function (id) { return '<a href="#" data-order="' + esc(id) + '">' + esc(id.slice(0, 8)) + '</a>'; }).join(' ');
  }

  function say(text, bad) { var el = $('action-result'); el.textContent = text; el.className = bad ? 'bad' : 'muted'; }
  function send(method, url, body) {
    return fetch(url, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || ('HTTP ' + r.status)); return j; }); });
  }
  function act(method, url, body, describe) {
    if (!signedIn) return say('Sign in with the operator token first.', true);
    say('…');
    return send(method, url, body).then(function (j) { say(describe(j)); return j; }, function (e) { say(e.message, true); });
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target.closest('[data-action],[data-order]');
    if (!t) return;
    var a = t.getAttribute('data-action'), k = t.getAttribute('data-consumer');
    if (t.hasAttribute('data-order')) { ev.preventDefault(); $('order-id').value = t.getAttribute('data-order'); return showTimeline(); }
    var row = t.closest('[data-consumer]');
    if (a === 'pay-one') act('POST', '/api/actions/pay', { count: 1 }, function (j) { return 'paid ' + j.orderIds[0]; });
    if (a === 'burst') act('POST', '/api/actions/pay', { count: Number($('burst-n').value) }, function (j) { return 'paid ' + j.paid + (j.failed ? ', ' + j.failed + ' failed: ' + j.error : ''); });
    if (a === 'steady-start') act('POST', '/api/actions/steady', { rate: Number($('steady-rate').value) }, function (j) { return 'steady ' + j.rate + '/s started'; });
    if (a === 'steady-stop') act('DELETE', '/api/actions/steady', null, function (j) { return 'steady stopped after ' + j.paid + ' orders'; });
    if (a === 'chaos') {
      var mode = row.querySelector('[data-role=mode]').value, body = { mode: mode }, dur = Number(row.querySelector('[data-role=duration]').value);
      if (mode === 'slow') body.latencyMs = Number(row.querySelector('[data-role=latency]').value);
      if (dur > 0) body.durationSeconds = dur;
      act('POST', '/api/actions/chaos/' + row.getAttribute('data-consumer'), body, function () { return NAMES[row.getAttribute('data-consumer')] + ' database: ' + mode; });
    }
    if (a === 'heal') act('DELETE', '/api/actions/chaos/' + row.getAttribute('data-consumer'), null, function () { return NAMES[row.getAttribute('data-consumer')] + ' database healed'; });
    var redriven = function (j) { return 're-driven ' + j.redriven + (j.skipped ? ', skipped ' + j.skipped : '') + (j.failed ? ', failed ' + j.failed + ': ' + j.errors.join('; ') : ''); };
    if (a === 'redrive-one') act('POST', '/api/actions/redrive/' + k, { ids: [t.getAttribute('data-id')] }, redriven);
    if (a === 'redrive-group') act('POST', '/api/actions/redrive/' + k, { errorCode: t.getAttribute('data-code') }, redriven);
    if (a === 'redrive-selected') {
      var ids = []; document.querySelectorAll('[data-testid="dead-letters-' + k + '"] input:checked').forEach(function (el) { ids.push(el.getAttribute('data-id')); });
      if (!ids.length) return say('Select letters first.', true);
      act('POST', '/api/actions/redrive/' + k, { ids: ids }, redriven);
    }
    if (a === 'detail') act('GET', '/api/dead-letters/' + k + '/' + t.getAttribute('data-id'), null, function (j) {
      var d = $('letter-detail'); d.hidden = false;
      d.textContent = JSON.stringify({ id: j.id, reason: j.reason, errorCode: j.errorCode, errorMessage: j.errorMessage, attempts: j.attempts, headers: j.headers, payload: j.payload }, null, 2);
      return 'dead letter ' + j.id;
    });
  });

  function showTimeline() {
    var id = $('order-id').value.trim(), list = $('timeline');
    list.innerHTML = '';
    fetch('/api/orders/' + encodeURIComponent(id) + '/timeline').then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message); return j; }); }).then(function (rows) {
      list.innerHTML = rows.map(function (r) {
        var d = Object.keys(r.detail || {}).map(function (k) { return k + '=' + r.detail[k]; }).join(' ');
        return '<li data-event="' + esc(r.event) + '"><span class="muted">' + time(r.at) + '</span> <span class="ev">' + esc(r.event) + '</span> · ' + esc(r.service) + ' <span class="muted">' + esc(d) + '</span></li>';
      }).join('');
    }, function (e) { list.innerHTML = '<li class="bad">' + esc(e.message) + '</li>'; });
  }
  $('timeline-form').addEventListener('submit', function (ev) { ev.preventDefault(); showTimeline(); });

  if (!signedIn) document.querySelectorAll('[data-action]').forEach(function (b) { b.title = 'sign in first'; });
  var source = new EventSource('/api/stream');
  source.addEventListener('snapshot', function (ev) { render(JSON.parse(ev.data)); });
  fetch('/api/snapshot').then(function (r) { return r.json(); }).then(function (s) { if (s.ledger && !last) render(s); });
})();
`;
