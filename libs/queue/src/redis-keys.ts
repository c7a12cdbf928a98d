import type { RedisClient } from './redis-connection.js';
import type { QueueName } from './queue-names.js';

/**
 * Redis Cluster places a key by the CRC16 of its hash tag (the text between the first `{` and the next `}`), or
 * of the whole key when it has none; a script or transaction may only touch keys of one slot (else CROSSSLOT).
 * On one Redis server these return their input unchanged, so the single-node key names stay what they were.
 */

/**
 * The BullMQ prefix of `queue`. Each BullMQ script touches several keys of its queue (wait, active, delayed,
 * meta, events, the job hash, the deduplication key), so on a cluster they must share a slot: `{prefix:queue}`
 * tags them together, one tag per queue, so the queues spread over the masters instead of all loading one
 * (BullMQ's Redis Cluster pattern). No operation here spans two queues.
 */
export function queuePrefixOf(connection: RedisClient, prefix: string, queue: QueueName): string {
  return connection.isCluster ? `{${prefix}:${queue}}` : prefix;
}

/** `value` as a hash tag on a cluster, so the keys built around it land in one slot; as is on one server. */
export function hashTag(connection: RedisClient, value: string): string {
  return connection.isCluster ? `{${value}}` : value;
}

/**
 * BullMQ bakes a 12-bit counter under the run time into a delayed job's score (getDelayedScore.lua): a delayed job
 * runs at floor(score / DELAYED_SCORE_UNIT) ms. test/queue/scoring-producer.e2e.ts would catch a change to it.
 */
export const DELAYED_SCORE_UNIT = 0x1000;
