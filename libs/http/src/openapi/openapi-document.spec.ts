import 'reflect-metadata';
import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { OperatorGuard, OperatorRoute } from '../operator/operator.guard';
import { declaredRoutes } from './openapi-document';

@Controller('dead-letters')
class UnguardedUnderAnOperatorPath {
  @Get()
  list(): void {}
}

@Controller('anything')
@OperatorRoute()
class GuardedClass {
  @Post(':id/redrive')
  redrive(): void {}
}

class OtherGuard {
  canActivate(): boolean {
    return true;
  }
}

@Controller('mixed')
class GuardedMethod {
  @Get('public')
  open(): void {}

  @Post('secret')
  @UseGuards(OtherGuard, OperatorGuard)
  secret(): void {}
}

// A guard that only shares the name: the document must not be fooled by a class-name string.
@Controller('impostor')
@UseGuards(class OperatorGuard {})
class Impostor {
  @Get()
  get(): void {}
}

describe('declaredRoutes: operator routes from the guard metadata', () => {
  const operatorOf = (controller: Function) => Object.fromEntries(declaredRoutes([controller as never]).map((r) => [`${r.method} ${r.path}`, r.operator]));

  it('marks a route operator exactly when OperatorGuard guards it (class or method)', () => {
    expect(operatorOf(GuardedClass)).toEqual({ 'POST /anything/:id/redrive': true });
    expect(operatorOf(GuardedMethod)).toEqual({ 'GET /mixed/public': false, 'POST /mixed/secret': true });
  });

  it('ignores where a route is mounted and what a guard is called', () => {
    expect(operatorOf(UnguardedUnderAnOperatorPath)).toEqual({ 'GET /dead-letters': false });
    expect(operatorOf(Impostor)).toEqual({ 'GET /impostor': false });
  });
});
