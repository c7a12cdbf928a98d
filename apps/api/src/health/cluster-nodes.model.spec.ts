import { brokerQuorumUp, clusterState, parseClusterNodes } from './cluster-nodes.model.js';

describe('parseClusterNodes', () => {
  // As redis-server 7 answers CLUSTER NODES on the local cluster after the master on 7101 was killed and 7104 promoted.
  const answer = [
    'a1 127.0.0.1:7101@17101 master,fail - 1700000000000 1700000000000 1 disconnected',
    'b2 127.0.0.1:7102@17102 myself,master - 0 1700000000000 2 connected 5461-10922',
    'c3 127.0.0.1:7103@17103,redis-3 master - 0 1700000000000 3 connected 10923-16383',
    'd4 127.0.0.1:7104@17104 master - 0 1700000000000 7 connected 0-5460',
    'e5 127.0.0.1:7105@17105 slave b2 0 1700000000000 2 connected',
    'f6 127.0.0.1:7106@17106 slave,fail? c3 0 1700000000000 3 connected',
    'g7 :0@0 noaddr,handshake - 0 0 0 disconnected',
    '',
  ].join('\n');

  it('lists every node with its role, down when flagged failing or unlinked, in port order', () => {
    expect(parseClusterNodes(answer)).toEqual([
      { node: '127.0.0.1:7101', role: 'master', status: 'down', error: 'flagged master,fail' },
      { node: '127.0.0.1:7102', role: 'master', status: 'up' },
      { node: '127.0.0.1:7103', role: 'master', status: 'up' },
      { node: '127.0.0.1:7104', role: 'master', status: 'up' },
      { node: '127.0.0.1:7105', role: 'replica', status: 'up' },
      { node: '127.0.0.1:7106', role: 'replica', status: 'down', error: 'flagged slave,fail?' },
    ]);
  });

  it('reads cluster_state from CLUSTER INFO', () => {
    expect(clusterState('cluster_enabled:1\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\n')).toBe('ok');
    expect(clusterState('cluster_state:fail\r\n')).toBe('fail');
    expect(clusterState('')).toBe('unknown');
  });
});

describe('brokerQuorumUp', () => {
  const node = (status: 'up' | 'down', port: number) => ({ node: `127.0.0.1:${port}`, status });

  it('is up while a majority of the nodes answer', () => {
    expect(brokerQuorumUp([node('up', 1), node('up', 2), node('up', 3)])).toBe(true);
    expect(brokerQuorumUp([node('down', 1), node('up', 2), node('up', 3)])).toBe(true);
    expect(brokerQuorumUp([node('down', 1), node('down', 2), node('up', 3)])).toBe(false);
    expect(brokerQuorumUp([node('up', 1), node('down', 2)])).toBe(false);
    expect(brokerQuorumUp([])).toBe(false);
  });
});
