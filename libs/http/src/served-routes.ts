import { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

export interface ServedRoute {
  method: string;
  url: string;
}

const served = new WeakMap<INestApplication, ServedRoute[]>();

/** Records every route Fastify registers (Nest's and any added by hand), for the API-description check. */
export function recordServedRoutes(app: INestApplication, instance: FastifyInstance): void {
  const routes: ServedRoute[] = [];
  served.set(app, routes);
  instance.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}

/** The routes the app's HTTP server answers (HEAD twins of GET routes excluded). */
export function servedRoutes(app: INestApplication): ServedRoute[] {
  return (served.get(app) ?? []).filter((r) => r.method !== 'HEAD');
}
