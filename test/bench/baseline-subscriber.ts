// The ceiling for the ingestion benchmark: the least a subscriber can do and still store every message.
// QoS 1 acknowledged on receipt (mqtt.js default), JSON.parse, COPY into one table every 20 ms. No
// validation, no deduplication, no vehicle lookup, no crash safety: it shows what the broker, Node and
// Postgres on this machine allow, so the pipeline's figure can be read as a fraction of it.
import mqtt from 'mqtt';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const [databaseUrl, mqttUrl, group] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let rows: string[] = [];
let writing = Promise.resolve();

const escape = (text: string): string => text.replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'));

async function copy(batch: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    const stream = client.query(copyFrom('COPY bench_baseline_samples (vin, seq, ts, payload) FROM STDIN'));
    await pipeline(Readable.from(batch), stream);
  } finally {
    client.release();
  }
}

setInterval(() => {
  if (rows.length === 0) return;
  const batch = rows;
  rows = [];
  writing = writing.then(() => copy(batch));
}, 20);

const clients = await Promise.all(
  [0, 1].map((index) => mqtt.connectAsync(mqttUrl, { clientId: `bench-baseline-${index}`, clean: true, protocolVersion: 5 })),
);
for (const client of clients) {
  client.on('message', (topic, payload) => {
    const vin = topic.split('/')[1] ?? '';
    // The broker may be shared: other checkouts' tests publish there too (malformed payloads on purpose).
    if (!vin.startsWith('LBENCH')) return;
    const sample = JSON.parse(payload.toString()) as { seq: number; ts: string };
    rows.push(`${vin}\t${sample.seq}\t${sample.ts}\t${escape(payload.toString())}\n`);
  });
  await client.subscribeAsync(`$share/${group}/vehicles/+/telemetry`, { qos: 1 });
}
process.stdout.write('baseline ready\n');
process.on('SIGTERM', () => {
  void (async () => {
    await Promise.all(clients.map((client) => client.endAsync()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writing;
    if (rows.length > 0) await copy(rows);
    await pool.end();
    process.exit(0);
  })();
});
