import { BadRequestException, PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** Validates a request part against a zod schema; a failure is a 400 naming every bad field. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    /** Public so the OpenAPI document describes exactly what is validated. */
    readonly schema: S,
    private readonly what = 'body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : `${this.what}: ${issue.message}`;
    });
    throw new BadRequestException(problems.join('; '));
  }
}
