#!/usr/bin/env node
// The virtual fleet: a plain node program (no Nest). See `--help` / USAGE for the flags.
import { hostname } from 'node:os';
import { loadSimulatorConfig } from '#app/config';
import { InvalidArgumentError } from './cli/invalid-argument.error.js';
import { parseSimulatorOptions, type SimulatorOptions, USAGE } from './cli/simulator-options.js';
import { fleetVin } from './cli/vin.js';
import { loginsFor, readDeviceLogins } from './publish/device-logins.reader.js';
import { MqttFleetPublisher } from './publish/mqtt-fleet.publisher.js';
import { ProgressReporter } from './publish/progress.reporter.js';
import { TokenBucket } from './publish/token-bucket.js';
import { runFleet } from './run/fleet.runner.js';
import { runReplay } from './run/replay.runner.js';

function defaultMqttUrl(): string {
  return loadSimulatorConfig().mqtt.url;
}

async function run(options: SimulatorOptions): Promise<void> {
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`sim: second ${name}, exiting without waiting for acknowledgements\n`);
      process.exit(130);
    }
    process.stderr.write(`sim: ${name}, stopping (flushing in-flight messages)\n`);
    stop.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const publisher = await connectPublisher(options, (line) => process.stderr.write(`${line}\n`));
  const bucket = options.rate === undefined ? undefined : new TokenBucket(options.rate);
  const progress = new ProgressReporter(publisher.stats, options.replay ? 1 : options.vehicles);
  if (!options.quiet) progress.start();
  try {
    if (options.replay) {
      await runReplay({ ...options.replay, batch: options.batch }, { publisher, bucket, signal: stop.signal });
    } else {
      await runFleet(options, { publisher, bucket, signal: stop.signal, onPhase: (phase) => (progress.phase = phase) });
    }
  } finally {
    await publisher.close();
    progress.stop();
  }
}

/**
 * As devices on the device listener when given a logins file (the demo), else over `--clients` connections to
 * the internal listener (the benchmarks: a thousand cars are not a thousand connections there). A device
 * listener that cannot be used (Aedes, an external broker, a stale file) must not stop the demo fleet, so the
 * cars fall back to the internal listener, and the log says so.
 */
async function connectPublisher(options: SimulatorOptions, log: (line: string) => void): Promise<MqttFleetPublisher> {
  if (options.devicesFile !== undefined) {
    try {
      const file = await readDeviceLogins(options.devicesFile);
      const vins = options.replay
        ? [options.replay.vin]
        : Array.from({ length: options.vehicles }, (_, i) => fleetVin(options.vinPrefix, options.startIndex + i));
      const devices = loginsFor(file, vins);
      if (options.deviceNodes.length > 0) {
        const publisher = await MqttFleetPublisher.connectAsDevicesToCluster({ nodes: options.deviceNodes, devices, log });
        const where = options.deviceNodes.map(({ host, port }) => `mqtt://${host}:${port}`).join(', ');
        log(`sim: ${vins.length} cars connected as their devices, spread over the broker nodes ${where}`);
        return publisher;
      }
      const url = `mqtt://${file.mqtt.host}:${file.mqtt.port}`;
      const publisher = await MqttFleetPublisher.connectAsDevices({ url, devices, log });
      log(`sim: ${vins.length} cars connected as their devices on the device listener ${url}`);
      return publisher;
    } catch (error) {
      log(
        `sim: device listener not usable (${error instanceof Error ? error.message : String(error)}): ` +
          `the cars publish on the internal listener ${options.url} instead`,
      );
    }
  }
  return MqttFleetPublisher.connect({ url: options.url, clients: options.clients, clientIdPrefix: `sim-${hostname()}-${process.pid}`, log });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: SimulatorOptions;
  try {
    options = parseSimulatorOptions(argv, defaultMqttUrl());
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    process.stderr.write(`sim: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await run(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
