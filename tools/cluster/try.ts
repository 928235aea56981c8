import { RabbitCluster } from './rabbit-cluster';
(async () => {
  const c = await RabbitCluster.create('/tmp/x/cl2', 3, `t${process.pid}`);
  let t = Date.now();
  await c.start();
  console.log('cluster', Date.now() - t);
  const n = c.nodes[1];
  await n.kill();
  t = Date.now();
  await n.start(60_000).then(() => console.log('restarted after kill', Date.now() - t), (e) => console.log('failed', Date.now() - t, e.message.slice(0, 150)));
  if (!process.env.KEEP) await c.destroy();
})();
