/**
 * Generates docs/configuration.md from the zod schemas in libs/config: every variable each
 * service reads, its default and the values it accepts come from the schemas themselves, and its
 * meaning from config-descriptions.ts. `npm run docs:config` writes the page; the docs test fails
 * when the committed page differs from what this renders, so the page cannot disagree with the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  consoleEnvSchema,
  consumerEnvSchemas,
  ConsumerServiceConfig,
  Env,
  loadConsoleConfig,
  loadOrderServiceConfig,
  orderEnvSchema,
} from '@reliable-payments/config';
import { loadCouponServiceConfig } from '../../apps/coupon-service/src/coupon-service.app';
import { loadRedPacketServiceConfig } from '../../apps/red-packet-service/src/red-packet-service.app';
import { CONFIG_SECTIONS, OTHER_VARIABLES } from './config-descriptions';

export type Reader = 'order' | 'coupon' | 'red packet' | 'console';

/** What one service's schema says about one variable. */
export interface VariableFacts {
  name: string;
  reader: Reader;
  /** The default as it is written in the environment (`10s`, not 10000); undefined = unset. */
  fallback?: string;
  accepts?: string;
}

type Schema = z.ZodType;
type Def = { type: string; innerType?: Schema; in?: Schema; defaultValue?: unknown; entries?: Record<string, string>; checks?: Schema[]; format?: string };

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The default and the accepted values of one schema field, read from zod's definition: the first
 * `.describe()` on the way down names what it accepts, else the base type's checks do.
 */
export function describeField(schema: Schema): { fallback?: string; accepts?: string } {
  let current = schema;
  let fallback: string | undefined;
  let described: string | undefined;
  // Unwrap: a transform's input side, defaults and optionals, down to the base type.
  for (;;) {
    described ??= current.description;
    const def = defOf(current);
    if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'default' && def.innerType) {
      fallback ??= String(def.defaultValue);
      current = def.innerType;
    } else if (def.type === 'optional' && def.innerType) current = def.innerType;
    else break;
  }
  return { fallback, accepts: described ?? acceptsOf(defOf(current)) };
}

type Check = { check: string; value?: number; minimum?: number; maximum?: number };

function acceptsOf(def: Def): string | undefined {
  const checks = (def.checks ?? []).map((c) => defOf(c) as unknown as Check);
  const find = (name: string) => checks.find((c) => c.check === name);
  const n = (value: number) => value.toLocaleString('en-US');
  if (def.type === 'enum' && def.entries) {
    const values = Object.values(def.entries);
    if (values.includes('true') && values.includes('false')) return '`true` / `false` (or `1` / `0`, `yes` / `no`)';
    return values.map((v) => `\`${v}\``).join(', ');
  }
  if (def.type === 'number') {
    const min = find('greater_than')?.value;
    const max = find('less_than')?.value;
    if (min !== undefined && max !== undefined) return `${n(min)}–${n(max)}`;
    if (min !== undefined) return `≥ ${n(min)}`;
    return 'a number';
  }
  if (def.type === 'string' && def.format === 'url') return 'an http(s) URL';
  if (def.type === 'string') {
    const min = find('min_length')?.minimum;
    const max = find('max_length')?.maximum;
    if (min !== undefined && max !== undefined) return `${n(min)}–${n(max)} characters`;
    if (min !== undefined) return `at least ${n(min)} characters`;
    if (max !== undefined) return `at most ${n(max)} characters`;
  }
  return undefined;
}

/** Every variable every service reads, one entry per (variable, service). */
export function readVariables(): VariableFacts[] {
  const facts: VariableFacts[] = [];
  const add = (reader: Reader, shape: Record<string, Schema>, prefix = '', overrides: Record<string, string> = {}) => {
    for (const [key, schema] of Object.entries(shape)) {
      const name = `${prefix}${key}`;
      const field = describeField(schema);
      facts.push({ name, reader, ...field, ...(name in overrides ? { fallback: overrides[name] } : {}) });
    }
  };
  // Defaults a service supplies (its port, its database, its service name) are read back from its loader.
  const order = loadOrderServiceConfig({});
  add('order', orderEnvSchema.shape, '', { OTEL_SERVICE_NAME: order.observability.serviceName });
  const consumers: [Reader, string, (env: Env) => ConsumerServiceConfig][] = [
    ['coupon', 'COUPON', loadCouponServiceConfig],
    ['red packet', 'RED_PACKET', loadRedPacketServiceConfig],
  ];
  for (const [reader, prefix, load] of consumers) {
    const loaded = load({});
    const defaults = { port: loaded.port, database: loaded.database.database, serviceName: loaded.observability.serviceName };
    add(reader, consumerEnvSchemas.own(defaults).shape, `${prefix}_`);
    add(reader, consumerEnvSchemas.shared.shape, '', { OTEL_SERVICE_NAME: defaults.serviceName });
  }
  add('console', consoleEnvSchema.shape);
  loadConsoleConfig({}); // the console's defaults parse
  return facts;
}

/** The names every service's configuration reads, sorted and unique. */
export function configVariableNames(): string[] {
  return [...new Set(readVariables().map((f) => f.name))].sort();
}

const READERS: Reader[] = ['order', 'coupon', 'red packet', 'console'];

function descriptionKey(name: string): string[] {
  const generic = name.replace(/^(COUPON|RED_PACKET)_/, '<PREFIX>_');
  return generic === name ? [name] : [name, generic];
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The whole page. Throws when a variable has no description, or a description no variable. */
export function renderConfigReference(): string {
  const facts = readVariables();
  const names = [...new Set(facts.map((f) => f.name))];
  const placed = new Map<string, string>();
  const usedKeys = new Set<string>();
  for (const section of CONFIG_SECTIONS) {
    for (const key of Object.keys(section.variables)) {
      const matches = names.filter((n) => descriptionKey(n).includes(key));
      if (matches.length === 0) throw new Error(`config-descriptions.ts describes ${key}, which no service reads`);
      for (const n of matches) {
        if (placed.has(n) && placed.get(n) !== section.title) throw new Error(`${n} is described in "${placed.get(n)}" and "${section.title}"`);
        placed.set(n, section.title);
      }
      usedKeys.add(key);
    }
  }
  const missing = names.filter((n) => !placed.has(n));
  if (missing.length > 0) throw new Error(`config-descriptions.ts has no description of ${missing.join(', ')}`);
  for (const other of Object.keys(OTHER_VARIABLES)) {
    for (const n of other.split(',').map((s) => s.trim())) {
      if (names.includes(n)) throw new Error(`${n} is read by the config: describe it in CONFIG_SECTIONS, not OTHER_VARIABLES`);
    }
  }

  const lines: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` (tools/docs/config-reference.ts) from the zod schemas in',
    '     libs/config and the descriptions in tools/docs/config-descriptions.ts. Do not edit by hand:',
    '     the docs test fails when this page differs from what the generator renders. -->',
    '',
    'Every service reads its configuration from the environment once, at start, and validates it',
    '(`libs/config`); a bad value stops the service with a message naming the variable, and every',
    'problem is reported, not only the first. Nothing else reads `process.env`. URLs are never echoed',
    'and are logged with the password masked. An empty value counts as unset.',
    '',
    'Durations take `ms`, `s`, `m`, `h` and `d` (`500ms`, `10s`, `5m`, `24h`, `30d`). Variables read',
    "under a prefix are the coupon service's (`COUPON_`) and the red-packet service's (`RED_PACKET_`)",
    'own; the rest are shared by every service that reads them. "Read by" names the services whose',
    'schema holds the variable.',
    '',
  ];
  for (const section of CONFIG_SECTIONS) {
    lines.push(`## ${section.title}`, '');
    if (section.intro) lines.push(section.intro, '');
    lines.push('| Variable | Default | Accepts | Read by | Meaning |', '|---|---|---|---|---|');
    const inSection = names.filter((n) => placed.get(n) === section.title);
    const order = Object.keys(section.variables);
    const rank = (n: string) => Math.min(...descriptionKey(n).map((k) => (order.indexOf(k) < 0 ? Infinity : order.indexOf(k))));
    inSection.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const name of inSection) {
      const mine = facts.filter((f) => f.name === name);
      const key = descriptionKey(name).find((k) => k in section.variables)!;
      lines.push(`| \`${name}\` | ${cell(defaults(mine))} | ${cell(accepts(mine))} | ${readers(mine)} | ${cell(section.variables[key])} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Read by others',
    '',
    "Not part of the services' validated configuration: read by OpenTelemetry's SDK, or by the tests,",
    'suites and tools only.',
    '',
    '| Variable | Meaning |',
    '|---|---|',
    ...Object.entries(OTHER_VARIABLES).map(
      ([names, text]) =>
        `| ${names
          .split(',')
          .map((n) => `\`${n.trim()}\``)
          .join(', ')} | ${cell(text)} |`,
    ),
    '',
  );
  return lines.join('\n');
}

/** One value for all readers, or each value with the readers that share it ("services: …; console: …"). */
function perReader(facts: VariableFacts[], show: (fact: VariableFacts) => string): string {
  const groups = new Map<string, VariableFacts[]>();
  for (const fact of facts) groups.set(show(fact), [...(groups.get(show(fact)) ?? []), fact]);
  if (groups.size === 1) return [...groups.keys()][0]!;
  return [...groups].map(([value, group]) => `${readers(group)}: ${value}`).join('; ');
}

function defaults(facts: VariableFacts[]): string {
  return perReader(facts, (f) => (f.fallback === undefined ? '*(unset)*' : f.fallback === '' ? '*(empty)*' : `\`${f.fallback}\``));
}

function accepts(facts: VariableFacts[]): string {
  return perReader(facts, (f) => f.accepts ?? '—');
}

function readers(facts: VariableFacts[]): string {
  const set = new Set(facts.map((f) => f.reader));
  if (set.size === 4) return 'all';
  if (set.size === 3 && !set.has('console')) return 'services';
  return READERS.filter((r) => set.has(r)).join(', ');
}

/** `node dist/tools/docs/config-reference.js [--check] [path]`: write the page (or fail when it differs). */
function main(argv: string[]): void {
  const check = argv.includes('--check');
  const path = argv.find((a) => !a.startsWith('--')) ?? join(process.cwd(), 'docs', 'configuration.md');
  const page = renderConfigReference();
  if (check) {
    const committed = readFileSync(path, 'utf8');
    if (committed !== page) {
      process.stderr.write(`${path} differs from the config schema: run npm run docs:config\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(path, page);
  process.stdout.write(`wrote ${path}\n`);
}

if (require.main === module) main(process.argv.slice(2));
