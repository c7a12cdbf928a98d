import { z } from 'zod';
import { optionalPath, positiveInt, type Env, type Rules } from '../env-schema.js';

export const brokerAuthShape = {
  /** Where devices connect (the broker's login-only listener): told to a device when it is provisioned. */
  MQTT_DEVICE_HOST: z.string().min(1).default('127.0.0.1'),
  MQTT_DEVICE_PORT: positiveInt(1884),
  /**
   * The device listener's password_file and acl_file, rendered from Postgres (libs/broker-auth), and the
   * broker's pid file to signal a reload. Unset: device logins are managed by whoever runs the broker.
   */
  MQTT_DEVICE_PASSWORD_FILE: optionalPath,
  MQTT_DEVICE_ACL_FILE: optionalPath,
  MQTT_BROKER_PID_FILE: optionalPath,
};

export const brokerAuthRules: Rules<typeof brokerAuthShape> = (env, context) => {
  // One file without the other would leave the broker with logins but no ACL (or the reverse).
  if ((env.MQTT_DEVICE_PASSWORD_FILE === undefined) !== (env.MQTT_DEVICE_ACL_FILE === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [env.MQTT_DEVICE_PASSWORD_FILE === undefined ? 'MQTT_DEVICE_PASSWORD_FILE' : 'MQTT_DEVICE_ACL_FILE'],
      message: 'MQTT_DEVICE_PASSWORD_FILE and MQTT_DEVICE_ACL_FILE are set together or not at all',
    });
  }
};

export interface BrokerAuthConfig {
  readonly brokerAuth: {
    /** What a provisioned device is told to connect to. */
    readonly deviceEndpoint: { readonly host: string; readonly port: number };
    /** Null when this platform does not manage the broker's device logins (an external broker). */
    readonly files: {
      readonly passwordFile: string;
      readonly aclFile: string;
      /** Null: the files are written but nobody is told to reload them. */
      readonly pidFile: string | null;
    } | null;
  };
}

export const brokerAuthOf = (e: Env<typeof brokerAuthShape>): BrokerAuthConfig => ({
  brokerAuth: {
    deviceEndpoint: { host: e.MQTT_DEVICE_HOST, port: e.MQTT_DEVICE_PORT },
    files:
      e.MQTT_DEVICE_PASSWORD_FILE !== undefined && e.MQTT_DEVICE_ACL_FILE !== undefined
        ? { passwordFile: e.MQTT_DEVICE_PASSWORD_FILE, aclFile: e.MQTT_DEVICE_ACL_FILE, pidFile: e.MQTT_BROKER_PID_FILE ?? null }
        : null,
  },
});
