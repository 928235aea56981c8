import { Body, CanActivate, Controller, Delete, ExecutionContext, ForbiddenException, Get, HttpCode, Inject, Injectable, Post, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ZodValidationPipe } from '@app/http';
import { CHAOS_OPTIONS, ChaosOptions } from './chaos.options';
import { ChaosService } from './chaos.service';

/** Chaos is refused unless enabled, and without the right token when one is configured. */
@Injectable()
export class ChaosGuard implements CanActivate {
  constructor(@Inject(CHAOS_OPTIONS) private readonly options: ChaosOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.options.enabled) throw new ForbiddenException('chaos is disabled; start the service with CHAOS_ENABLED=true');
    if (this.options.token) {
      const given = Buffer.from(String(context.switchToHttp().getRequest<FastifyRequest>().headers['x-chaos-token'] ?? ''));
      const expected = Buffer.from(this.options.token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UnauthorizedException('missing or wrong X-Chaos-Token');
      }
    }
    return true;
  }
}

const faultSchema = z.strictObject({
  mode: z.enum(['down', 'hang', 'slow'], { message: 'must be "down", "hang" or "slow"' }),
  latencyMs: z.number({ message: 'must be a number' }).int('must be whole milliseconds').min(0).max(60_000).optional(),
  durationSeconds: z.number({ message: 'must be a number' }).int('must be whole seconds').positive('must be positive').max(86_400).optional(),
});

@Controller('chaos')
@UseGuards(ChaosGuard)
export class ChaosController {
  constructor(private readonly chaos: ChaosService) {}

  @Get()
  state() {
    return this.chaos.state();
  }

  /** `{mode: "down" | "hang" | "slow", latencyMs?, durationSeconds?}`; `slow` defaults to 500 ms. */
  @Post('db')
  @HttpCode(200)
  inject(@Body(new ZodValidationPipe(faultSchema)) fault: z.infer<typeof faultSchema>) {
    return this.chaos.injectDatabaseFault({ ...fault, latencyMs: fault.mode === 'slow' ? (fault.latencyMs ?? 500) : undefined });
  }

  @Delete('db')
  heal() {
    return this.chaos.heal();
  }
}
