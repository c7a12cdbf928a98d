// Whether one API of `npm run cluster` reports the whole topology ready (used by scripts/cluster.sh):
//   node scripts/cluster-ready.cjs <api-port> <broker nodes> <redis nodes> [<ingestion replica>,...]
// Exit 0 when /health/ready says ready, every broker node (MQTT listener) and every Redis node is listed up, and each
// named ingestion replica reports `ok`; otherwise exit 1 printing what is missing (one line).
/* global fetch, AbortSignal */ // Node 20 has both; the lint config lists only CommonJS globals for scripts/*.cjs.
const [port, brokers, redisNodes, replicas = ''] = process.argv.slice(2);
const expected = (list) => list.split(',').filter((item) => item !== '');

async function main() {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(10_000) });
  const report = await response.json();
  const { mqtt, redis, ingestion } = report.checks;
  const missing = [];
  if (report.status !== 'ready') missing.push(`status ${report.status}`);
  for (const node of expected(brokers)) {
    if (!(mqtt.nodes ?? []).some((entry) => entry.node === node && entry.status === 'up')) missing.push(`broker node ${node}`);
  }
  for (const node of expected(redisNodes)) {
    if (!(redis.nodes ?? []).some((entry) => entry.node === node && entry.status === 'up')) missing.push(`redis node ${node}`);
  }
  for (const replica of expected(replicas)) {
    if (!ingestion.replicas.some((entry) => entry.replica === replica && entry.state === 'ok')) missing.push(`ingestion ${replica}`);
  }
  if (missing.length > 0) {
    console.log(`not yet: ${missing.join(', ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.log(`no answer: ${error.cause?.code ?? error.message}`);
  process.exit(1);
});
