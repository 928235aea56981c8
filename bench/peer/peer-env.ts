/** The peer's settings, from PEER_* variables set by peer-bench.ts. */
export function peerEnv() {
  const env = (name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is required`);
    return value;
  };
  return {
    role: env('PEER_ROLE') as 'order' | 'coupon' | 'red-packet',
    amqpUrl: env('RABBITMQ_URL'),
    databaseUrl: env('PEER_DB_URL'),
    couponQueue: env('PEER_COUPON_QUEUE'),
    redPacketQueue: env('PEER_RED_PACKET_QUEUE'),
    prefetch: Number(process.env.PEER_PREFETCH ?? 64),
    port: Number(process.env.PEER_PORT ?? 0),
  };
}
