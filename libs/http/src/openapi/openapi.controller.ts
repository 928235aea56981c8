import { Controller, Get, Header, Inject, Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DOCS_PAGE } from './docs-page';
import { buildOpenApiDocument, declaredRoutes, OpenApiInfo } from './openapi-document';

export const OPENAPI_INFO = Symbol('OPENAPI_INFO');

/** `GET /openapi.json` (built once, from the routes Nest serves and their zod pipes) and `GET /docs`. */
@Controller()
export class OpenApiController {
  private document?: ReturnType<typeof buildOpenApiDocument>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(OPENAPI_INFO) private readonly info: OpenApiInfo,
  ) {}

  @Get('openapi.json')
  openapi() {
    const controllers = this.discovery.getControllers().map((wrapper) => wrapper.metatype as Type<unknown>);
    return (this.document ??= buildOpenApiDocument(declaredRoutes(controllers), this.info));
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  docs(): string {
    return DOCS_PAGE;
  }
}
