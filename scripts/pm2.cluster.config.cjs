// The apps of `npm run cluster` (scripts/cluster.sh), each its own process under pm2: 3 ingestion replicas sharing the
// NATS tier's durable consumer, 2 workers competing for the BullMQ jobs on the Redis Cluster, 2 APIs on their own
// ports, the mail sink and the demo fleet. A pm2 daemon of its own (PM2_HOME inside the cluster folder), so
// `npm start`'s apps and this topology never see or stop each other.
//
// Read from the environment cluster.sh prepares: CARHEALTH_CLUSTER_DIR (logs), CLUSTER_API_PORTS and
// CLUSTER_INGESTION_REPLICAS / CLUSTER_WORKERS (how many of each), SMTP_PORT, CARHEALTH_MAIL_DIR,
// CARHEALTH_SIMULATOR_ARGS (JSON array). Everything else (DATABASE_URL, REDIS_CLUSTER_NODES, NATS_SERVERS, ...)
// reaches the apps because pm2 passes the environment it is started from.
const path = require('node:path');
const { app: supervised } = require('./pm2-app.cjs');

const dir = process.env.CARHEALTH_CLUSTER_DIR;
if (!dir) throw new Error('CARHEALTH_CLUSTER_DIR is not set: start the cluster with `npm run cluster`');
const logs = path.join(dir, 'logs');
const app = (name, script, extra) => supervised(logs, name, script, extra);
const count = (name, fallback) => Number(process.env[name] || fallback);
const numbered = (n) => Array.from({ length: n }, (_, i) => i + 1);

module.exports = {
  apps: [
    app('mail-sink', 'dist/apps/mail-sink/src/main.js', {
      args: ['--port', process.env.SMTP_PORT || '2526', '--dir', process.env.CARHEALTH_MAIL_DIR || path.join(dir, 'mail')],
      kill_timeout: 5_000,
    }),
    ...(process.env.CLUSTER_API_PORTS || '3101,3102')
      .split(',')
      .map((port, i) => app(`api-${i + 1}`, 'dist/apps/api/src/main.js', { env: { PORT: port } })),
    // A stable client id per replica: its name in the status it reports (/health/ready) and on the NATS connection.
    ...numbered(count('CLUSTER_INGESTION_REPLICAS', 3)).map((i) =>
      app(`ingestion-${i}`, 'dist/apps/ingestion/src/main.js', { env: { INGEST_CLIENT_ID: `ingest-cluster-${i}` } }),
    ),
    ...numbered(count('CLUSTER_WORKERS', 2)).map((i) => app(`worker-${i}`, 'dist/apps/worker/src/main.js')),
    app('simulator', 'dist/apps/simulator/src/main.js', {
      args: JSON.parse(process.env.CARHEALTH_SIMULATOR_ARGS || '[]'),
      kill_timeout: 5_000,
    }),
  ],
};
