import { HttpException } from '@nestjs/common';
import { ServiceError } from './service-client';

/**
 * A service's answer to a forwarded call, or its error with the service's status and message
 * (its 400 naming the field, its 409), and 502 when the service did not answer at all.
 */
export async function forwarded<T>(call: Promise<{ status: number; body: T }>): Promise<T> {
  try {
    return (await call).body;
  } catch (error) {
    if (error instanceof ServiceError) {
      const status = error.status === 503 ? 502 : error.status;
      throw new HttpException({ statusCode: status, message: error.message }, status);
    }
    throw error;
  }
}
