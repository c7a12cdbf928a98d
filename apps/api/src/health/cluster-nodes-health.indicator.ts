import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Cluster } from 'ioredis';
import { connectAsync } from 'mqtt';
import { APP_CONFIG, type AppConfig, type HostPort } from '#app/config';
import { withTimeout } from '../common/with-timeout.js';
import { brokerQuorumUp, clusterState, type NodeCheck, parseClusterNodes } from './cluster-nodes.model.js';
import { CHECK_TIMEOUT_MS } from './dependency-health.indicator.js';

/**
 * Readiness of the clustered dependencies, node by node: each broker node's MQTT listener (MQTT_BROKER_NODES) and
 * each Redis Cluster node. Reported under the same keys as the single-server checks (`mqtt`, `redis`), with the
 * nodes listed, so the scripts reading `checks.<name>.status` work on both.
 */
@Injectable()
export class ClusterNodesHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every broker node is connected to (MQTT 3.1.1, MQTT_URL's login) at once; up while a majority accepts. */
  async brokers() {
    const session = this.indicators.check('mqtt');
    const nodes = await Promise.all(this.config.mqtt.brokerNodes.map((node) => this.probeBroker(node)));
    const up = nodes.filter((node) => node.status === 'up').length;
    return brokerQuorumUp(nodes)
      ? session.up({ nodes })
      : session.down({ nodes, message: `${up} of ${nodes.length} broker nodes accept connections: no majority` });
  }

  /**
   * One node's view of the cluster: up when it answers and says `cluster_state:ok` (every slot has a master), with
   * every node it knows listed (role, and down when the cluster flags it failing). ioredis sends these keyless
   * commands to any node it holds, so a dead seed node does not make the check fail.
   */
  async redisCluster(client: Cluster) {
    const session = this.indicators.check('redis');
    const started = Date.now();
    try {
      if (client.status === 'wait') await client.connect();
      const [info, answer] = await withTimeout(
        Promise.all([client.call('CLUSTER', 'INFO'), client.call('CLUSTER', 'NODES')]),
        CHECK_TIMEOUT_MS,
        'the cluster',
      );
      const state = clusterState(String(info));
      const nodes = parseClusterNodes(String(answer));
      const responseTime = Date.now() - started;
      return state === 'ok'
        ? session.up({ responseTime, clusterState: state, nodes })
        : session.down({ responseTime, clusterState: state, nodes, message: `cluster_state:${state}` });
    } catch (error) {
      return session.down({ responseTime: Date.now() - started, nodes: [], message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async probeBroker({ host, port }: HostPort): Promise<NodeCheck> {
    const node = `${host}:${port}`;
    const login = new URL(this.config.mqtt.url);
    const started = Date.now();
    try {
      const client = await withTimeout(
        connectAsync(
          `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
          {
            // NATS's listener speaks MQTT 3.1.1 only.
            protocolVersion: 4,
            ...(login.username === '' ? {} : { username: decodeURIComponent(login.username) }),
            ...(login.password === '' ? {} : { password: decodeURIComponent(login.password) }),
            clientId: `carhealth-api-ready-${randomUUID().slice(0, 8)}`,
            clean: true,
            reconnectPeriod: 0,
            connectTimeout: CHECK_TIMEOUT_MS,
          },
          false,
        ),
        CHECK_TIMEOUT_MS,
        node,
      );
      await client.endAsync();
      return { node, status: 'up', latencyMs: Date.now() - started };
    } catch (error) {
      return { node, status: 'down', latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
