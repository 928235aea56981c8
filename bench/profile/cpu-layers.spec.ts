import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layerOf, layersOf, scaledTo, SOCKET_WRITES } from './cpu-layers';

/** A .cpuprofile of nodes given as [id, functionName, url, children], one sample per entry of `samples`, 1 ms each. */
function profile(nodes: Array<[number, string, string, number[]]>, samples: number[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'layers-')), 'p.cpuprofile');
  const body = {
    nodes: nodes.map(([id, functionName, url, children]) => ({ id, callFrame: { functionName, url }, children })),
    startTime: 1_000_000,
    endTime: 1_000_000 + samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('cpu-layers', () => {
  it('puts a file in its layer by path', () => {
    expect(layerOf('file:///w/node_modules/fastify/lib/reply.js', 'send')).toBe('HTTP framework');
    expect(layerOf('file:///w/node_modules/mysql2/lib/connection.js', 'write')).toBe('driver: mysql2');
    expect(layerOf('file:///w/dist/libs/persistence/src/group-commit.js', 'flush')).toBe('group commit');
    expect(layerOf('file:///w/dist/libs/persistence/src/run-in-transaction.js', 'run')).toBe('persistence (other)');
    expect(layerOf('', '(garbage collector)')).toBe('GC');
    expect(layerOf('node:net', 'write')).toBe('node core: net/streams/crypto');
  });

  it('charges a builtin and a core socket write to the nearest caller in a library, and sums the writes apart', () => {
    const file = profile(
      [
        [1, '(root)', '', [2, 6]],
        [2, 'query', 'file:///w/node_modules/mysql2/lib/connection.js', [3]],
        [3, 'Socket._writeGeneric', 'node:net', [4]],
        [4, 'writeBuffer', '', []],
        [6, 'processTicksAndRejections', 'node:internal/process/task_queues', [7]],
        [7, 'runMicrotasks', '', []],
      ],
      [4, 4, 3, 2, 7],
    );
    const totals = layersOf(file);
    expect(totals['driver: mysql2']).toBe(4); // its own sample, the net frame's and two socket writes
    expect(totals['node core: event loop, streams']).toBe(1); // no library asked for the microtask loop
    expect(totals[SOCKET_WRITES]).toBe(2);
  });

  it('keeps only the samples inside the window', () => {
    const file = profile(
      [
        [1, '(root)', '', [2]],
        [2, 'send', 'file:///w/node_modules/fastify/lib/reply.js', []],
      ],
      [2, 2, 2, 2],
    );
    expect(layersOf(file, { fromUs: 1_002_000, toUs: 1_003_000 })['HTTP framework']).toBe(2);
  });

  it('scales the busy shares to the measured CPU, leaving idle and the socket-write line out of the sum', () => {
    expect(scaledTo({ idle: 50, 'driver: mysql2': 30, 'HTTP framework': 10, [SOCKET_WRITES]: 20 }, 8)).toEqual({
      'driver: mysql2': 6,
      'HTTP framework': 2,
      [SOCKET_WRITES]: 4,
    });
  });
});
