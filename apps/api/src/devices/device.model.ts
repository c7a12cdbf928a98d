/** A device as staff see it: never its secret, which is not stored (only its hash). */
export interface DeviceView {
  id: string;
  serial: string;
  /** The MQTT username (the serial). */
  username: string;
  vin: string;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** The answer to provisioning: the only time the password is ever shown. */
export interface ProvisionedDeviceView extends DeviceView {
  password: string;
  /** `topic`: telemetry; `statusTopic`: birth, last will and clean shutdown (retained; README device contract). */
  mqtt: { host: string; port: number; topic: string; statusTopic: string };
}
