import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { peerEnv } from './peer-env';
import { PeerGrantsModule } from './peer-grants.module';
import { PeerOrdersModule } from './peer-orders.module';

/**
 * One process of the NestJS-docs peer (PEER_ROLE: order, coupon or red-packet). The order service
 * on Fastify, like the project, so the HTTP framework is not part of the comparison; the peer's
 * difference is its persistence and messaging, written the docs' way. Prints `ready` when serving.
 */
async function main(): Promise<void> {
  const env = peerEnv();
  if (env.role === 'order') {
    const app = await NestFactory.create<NestFastifyApplication>(PeerOrdersModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
    app.enableShutdownHooks();
    await app.listen(env.port, '127.0.0.1');
  } else {
    const queue = env.role === 'coupon' ? env.couponQueue : env.redPacketQueue;
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(PeerGrantsModule, {
      transport: Transport.RMQ,
      options: { urls: [env.amqpUrl], queue, noAck: false, prefetchCount: env.prefetch, queueOptions: { durable: true } },
      logger: ['error', 'warn'],
    });
    app.enableShutdownHooks();
    await app.listen();
  }
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`peer failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
