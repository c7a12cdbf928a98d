/**
 * The broker's client ids, in two spaces that cannot meet. Mosquitto keeps one id space for all its listeners,
 * and a CONNECT with an id that is already connected takes that session over (the first client is dropped).
 * A device's client id is its serial (the device listener sets use_username_as_clientid), so a device
 * provisioned as `ingest-1-0` would knock ingestion's first connection off and take over its session.
 *
 * The platform's own clients all use an id that starts with one of these prefixes; a device serial that does
 * (in any letter case) is refused at provisioning and left out of the broker's device files.
 */
export const INTERNAL_CLIENT_ID_PREFIXES = [
  /**
   * Ingestion's connections: `${INGEST_CLIENT_ID}-${index}`, and INGEST_CLIENT_ID must start with it; also its
   * device-status listener, `${INGEST_CLIENT_ID}-status`.
   */
  'ingest-',
  /** The API's and other platform processes' short-lived clients (readiness checks). */
  'carhealth-',
  /** The simulator on the internal listener. */
  'sim-',
  /** mqtt.js's generated ids (a client created without one: tests, tools). */
  'mqttjs_',
  /** Mosquitto's own ids for a client that connected without one. */
  'auto-',
] as const;

export const INGEST_CLIENT_ID_PREFIX = 'ingest-';

export function isInternalClientId(id: string): boolean {
  const lower = id.toLowerCase();
  return INTERNAL_CLIENT_ID_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** The client id of ingestion's connection `index` (0-based) for the configured INGEST_CLIENT_ID. */
export function ingestionClientId(ingestion: { readonly clientId: string }, index: number): string {
  return `${ingestion.clientId}-${index}`;
}

/**
 * The client id of the replica's device-status listener (the Nest MQTT transport). Derived from INGEST_CLIENT_ID,
 * so it is in the reserved `ingest-` space and differs per replica (a shared id would knock the other off), and
 * never equals a telemetry connection's `-<index>`.
 */
export function deviceStatusClientId(ingestion: { readonly clientId: string }): string {
  return `${ingestion.clientId}-status`;
}
