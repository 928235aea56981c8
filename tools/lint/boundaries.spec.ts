import path from 'node:path';
import { assertAcyclic, createImportsRule, LIBRARY_LAYERS } from './boundaries.mjs';

const root = '/repo';

/** The messages the rule reports for `source` imported from `file` (relative to the repository). */
function violations(file: string, source: string, layers = LIBRARY_LAYERS): string[] {
  const reports: string[] = [];
  const rule = createImportsRule(layers);
  const visitor = rule.create({
    filename: path.join(root, file),
    cwd: root,
    report: ({ data }: { data: { why: string } }) => reports.push(data.why),
  } as never) as { ImportDeclaration: (node: unknown) => void };
  visitor.ImportDeclaration({ source: { value: source } });
  return reports;
}

describe('architecture boundaries (lint rule)', () => {
  it('lets a library import the libraries below it through @app/<name>', () => {
    expect(violations('libs/outbox/src/outbox.relay.ts', '@reliable-payments/messaging')).toEqual([]);
    expect(violations('libs/outbox/src/outbox.relay.ts', './backoff')).toEqual([]);
    expect(violations('apps/order-service/src/orders/orders.service.ts', '@reliable-payments/outbox')).toEqual([]);
    expect(violations('apps/order-service/src/orders/orders.service.ts', '../migrations/1763700000200-create-orders')).toEqual([]);
  });

  it('refuses a library importing one above it (the graph stays acyclic)', () => {
    expect(violations('libs/messaging/src/message-consumer.ts', '@reliable-payments/dead-letters')).toEqual([
      expect.stringContaining('libs/messaging may not import @reliable-payments/dead-letters'),
    ]);
    expect(violations('libs/config/src/env.ts', '@reliable-payments/messaging')).toEqual([expect.stringContaining('may not import')]);
  });

  it('refuses deep and relative imports into another library', () => {
    expect(violations('libs/outbox/src/outbox.relay.ts', '@reliable-payments/messaging/src/confirmed-publisher')).toEqual([
      expect.stringContaining('public entry'),
    ]);
    expect(violations('libs/outbox/src/outbox.relay.ts', '../../messaging/src/confirmed-publisher')).toEqual([
      expect.stringContaining('through "@reliable-payments/messaging"'),
    ]);
    expect(violations('apps/order-service/src/main.ts', '../../../libs/messaging/src')).toEqual([
      expect.stringContaining('through "@reliable-payments/messaging"'),
    ]);
  });

  it('refuses apps importing apps and libraries importing apps', () => {
    expect(violations('apps/coupon-service/src/main.ts', '../../order-service/src/orders/order.entity')).toEqual([
      expect.stringContaining('apps never import other apps'),
    ]);
    expect(violations('libs/http/src/health.controller.ts', '../../../apps/order-service/src/outbox-health')).toEqual([
      expect.stringContaining('libraries never import apps'),
    ]);
  });

  it('refuses a library that is not declared in the layer map', () => {
    expect(violations('libs/newcomer/src/x.ts', '@reliable-payments/config')).toEqual([expect.stringContaining('not declared in LIBRARY_LAYERS')]);
  });

  it('lets tests reach helpers but not break the other rules', () => {
    expect(violations('libs/messaging/src/confirmed-publisher.e2e-spec.ts', '../../../test/support/wait-for')).toEqual([]);
    expect(violations('test/payment-flow.e2e-spec.ts', '../apps/order-service/src/order-service.app')).toEqual([]);
  });

  it('detects a cycle in the layer map itself', () => {
    expect(() => assertAcyclic({ a: ['b'], b: ['c'], c: ['a'] })).toThrow('library cycle a -> b -> c -> a');
    expect(() => assertAcyclic({ a: ['ghost'] })).toThrow('does not declare');
    expect(() => assertAcyclic(LIBRARY_LAYERS)).not.toThrow();
  });
});
