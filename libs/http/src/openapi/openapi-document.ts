import { RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, HEADERS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { z } from 'zod';
import { OperatorGuard } from '../operator/operator.guard';
import { ZodValidationPipe } from '../zod-validation.pipe';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** A route as Nest declares it: where the document takes paths, methods, status codes and schemas from. */
export interface DeclaredRoute {
  method: string;
  /** Fastify form: `/orders/:id/pay`. */
  path: string;
  operationId: string;
  successStatus: number;
  contentType?: string;
  /** Guarded by OperatorGuard (`@OperatorRoute()` or `@UseGuards(OperatorGuard)`, on the class or the method). */
  operator: boolean;
  params: Array<{ name: string; schema?: z.ZodType }>;
  query?: z.ZodType;
  body?: z.ZodType;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;
const paths = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);

/** Reads the routes of controller classes from Nest's decorator metadata, the validating zod pipes included. */
export function declaredRoutes(controllers: Type<unknown>[]): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const controller of controllers) {
    const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
    const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) as Function[] | undefined) ?? [];
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as Function[] | undefined) ?? [])];
      const headers = (Reflect.getMetadata(HEADERS_METADATA, handler) as Array<{ name: string; value: string }> | undefined) ?? [];
      const verb = RequestMethod[method];
      const args =
        (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }> | undefined) ?? {};
      const inputs = Object.entries(args).map(([key, arg]) => ({
        type: Number(key.split(':')[0]) as RouteParamtypes,
        data: arg.data,
        schema: arg.pipes?.find((p): p is ZodValidationPipe<z.ZodType> => p instanceof ZodValidationPipe)?.schema,
      }));
      for (const prefix of prefixes) {
        for (const sub of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = join(prefix, sub);
          routes.push({
            method: verb,
            path,
            operationId: `${controller.name.replace(/Controller$/, '')}.${name}`,
            successStatus: (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (verb === 'POST' ? 201 : 200),
            contentType: headers.find((h) => h.name.toLowerCase() === 'content-type')?.value,
            // From the guards Nest will run, by identity: the document says "operator" exactly
            // where the guard is, whatever the class is called or where the route is mounted.
            operator: guards.includes(OperatorGuard),
            params: [...path.matchAll(/:(\w+)/g)].map(([, param]) => ({
              name: param,
              schema: inputs.find((i) => i.type === RouteParamtypes.PARAM && i.data === param)?.schema,
            })),
            query: inputs.find((i) => i.type === RouteParamtypes.QUERY && i.data === undefined)?.schema,
            body: inputs.find((i) => i.type === RouteParamtypes.BODY && i.data === undefined)?.schema,
          });
        }
      }
    }
  }
  return routes;
}

/** JSON Schema of what a client sends (`io: 'input'`: before defaults and transforms). */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const result = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete result.$schema; // the document's dialect (3.1: JSON Schema 2020-12) applies
  return result;
}

const errorRef = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operation(route: DeclaredRoute) {
  const parameters: JsonSchema[] = route.params.map((p) => ({
    name: p.name,
    in: 'path',
    required: true,
    schema: p.schema ? jsonSchema(p.schema) : { type: 'string' },
  }));
  if (route.query) {
    const query = jsonSchema(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {}))
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
  }
  const responses: Record<string, unknown> = {
    [route.successStatus]: {
      description: 'Success',
      content: { [route.contentType ?? 'application/json']: { schema: route.contentType?.startsWith('text/') ? { type: 'string' } : {} } },
    },
  };
  if (route.body || route.query || route.params.length > 0) responses[400] = errorRef('Bad input (every bad field is named in `message`)');
  if (route.operator) {
    responses[401] = errorRef('Missing or wrong operator token');
    responses[403] = errorRef('Operator API disabled (OPERATOR_TOKEN unset)');
  }
  if (route.params.length > 0) responses[404] = errorRef('Not found');
  if (route.body) {
    responses[413] = errorRef('Body over the size limit');
    responses[415] = errorRef('Body is not application/json');
  }
  responses.default = errorRef('Any other error, e.g. 503 while a dependency is down');
  return {
    operationId: route.operationId,
    ...(route.operator ? { tags: ['operator'], security: [{ operatorToken: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    // An action route takes no body; an empty JSON or form body is accepted as none.
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
    responses,
  };
}

/** An OpenAPI 3.1 document of the given routes, with the error shape and the operator bearer scheme. */
export function buildOpenApiDocument(routes: DeclaredRoute[], info: OpenApiInfo) {
  const documentPaths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (documentPaths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info,
    paths: documentPaths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['statusCode', 'error', 'message'],
          properties: {
            statusCode: { type: 'integer', minimum: 400, maximum: 599 },
            error: { type: 'string', description: 'The HTTP status name, e.g. "Bad Request"' },
            message: { description: 'What went wrong', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
          },
        },
      },
      securitySchemes: { operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN (operator routes only)' } },
    },
  };
}
