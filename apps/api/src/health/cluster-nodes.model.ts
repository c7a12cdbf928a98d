/**
 * One node of a clustered dependency as /health/ready reports it: each broker node's MQTT listener, each Redis
 * Cluster node. Pure: what the answers mean is decided here, the probing is in the indicators.
 */
export interface NodeCheck {
  /** host:port, as configured (brokers) or as the cluster lists it (Redis). */
  node: string;
  status: 'up' | 'down';
  /** Redis Cluster: master or replica (a failover swaps them). */
  role?: 'master' | 'replica';
  latencyMs?: number;
  error?: string;
}

/**
 * The broker tier serves while a majority of its nodes do: a replicated QoS 1 publish is acknowledged once 2 of
 * 3 nodes have it, and a device whose node died reconnects to another. One node down is reported, not unready.
 */
export function brokerQuorumUp(nodes: readonly NodeCheck[]): boolean {
  return nodes.filter((node) => node.status === 'up').length * 2 > nodes.length;
}

/**
 * The nodes in a `CLUSTER NODES` answer (one line per node: id, ip:port@cport[,hostname], flags, master id,
 * ping sent, pong received, epoch, link state, slots...). A node is down when the cluster flags it failing (`fail`,
 * or `fail?` as the answering node suspects) or the answering node's link to it is down; `noaddr`/`handshake`
 * entries (a node being forgotten or met) are not nodes yet.
 */
export function parseClusterNodes(answer: string): NodeCheck[] {
  const nodes: NodeCheck[] = [];
  for (const line of answer.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [, address, flagText, , , , , linkState] = fields;
    const flags = flagText.split(',');
    if (flags.includes('noaddr') || flags.includes('handshake')) continue;
    const node = address.split('@')[0];
    const failing = flags.includes('fail') || flags.includes('fail?');
    const linked = flags.includes('myself') || linkState === 'connected';
    nodes.push({
      node,
      role: flags.includes('master') ? 'master' : 'replica',
      ...(failing || !linked ? { status: 'down' as const, error: failing ? `flagged ${flagText}` : 'link disconnected' } : { status: 'up' as const }),
    });
  }
  return nodes.sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }));
}

/** `cluster_state` from a `CLUSTER INFO` answer: `ok` only while every slot has a reachable master. */
export function clusterState(info: string): string {
  return /^cluster_state:(\S+)/m.exec(info)?.[1] ?? 'unknown';
}
