import {
  InvalidConfigurationError,
  KNOWN_DEFAULT_SECRETS,
  loadApiConfig,
  loadIngestionConfig,
  loadSimulatorConfig,
  loadWorkerConfig,
} from './index.js';

describe(loadApiConfig.name, () => {
  it('applies the embedded defaults around a database URL', () => {
    const config = loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(config.api.port).toBe(3000);
    expect(config.mqtt.shareGroup).toBe('');
    expect(config.mqtt.embeddedBroker).toBe(false);
    expect(config.ingestion.connections).toBe(2);
  });

  it('limits 600 requests a minute and 10 failed logins per account, 50 per address, in 15 minutes by default', () => {
    const config = loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(config.rateLimit).toEqual({
      requestsPerMinute: 600,
      login: { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowSeconds: 900 },
    });
    expect(config.api.trustProxyHops).toBe(0);
    expect(() => loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('names every invalid variable', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'mysql://x', PORT: '-1' })).toThrow(InvalidConfigurationError);
    try {
      loadApiConfig({ DATABASE_URL: 'mysql://x', PORT: '-1' });
    } catch (error) {
      expect((error as InvalidConfigurationError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PORT']);
    }
  });

  describe('broker device logins', () => {
    const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };

    it('leaves them to whoever runs the broker when the files are not configured', () => {
      const config = loadApiConfig({ ...base, MQTT_DEVICE_PASSWORD_FILE: '', MQTT_DEVICE_ACL_FILE: '' });
      expect(config.brokerAuth).toEqual({ deviceEndpoint: { host: '127.0.0.1', port: 1884 }, files: null });
    });

    it('takes both files and the pid file', () => {
      const config = loadApiConfig({
        ...base,
        MQTT_DEVICE_PASSWORD_FILE: '/s/devices.passwd',
        MQTT_DEVICE_ACL_FILE: '/s/devices.acl',
        MQTT_BROKER_PID_FILE: '/s/mosquitto.pid',
        MQTT_DEVICE_PORT: '8883',
      });
      expect(config.brokerAuth.files).toEqual({ passwordFile: '/s/devices.passwd', aclFile: '/s/devices.acl', pidFile: '/s/mosquitto.pid' });
      expect(config.brokerAuth.deviceEndpoint.port).toBe(8883);
    });

    it('refuses a password file without an ACL file', () => {
      expect(() => loadApiConfig({ ...base, MQTT_DEVICE_PASSWORD_FILE: '/s/devices.passwd' })).toThrow(/MQTT_DEVICE_ACL_FILE/);
    });
  });

  describe('secrets', () => {
    const strongSecret = 'pZ3q8Xv1Lr0TmW6yBc9KdN2sHf4JgA7e';
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://carhealth:Wq7vX2pLm9@db:5432/carhealth',
      VAPID_KEY_FILE: '/var/lib/carhealth/secrets/vapid.json',
      JWT_SECRET: strongSecret,
    };
    const problemsOf = (env: Record<string, string | undefined>): string[] => {
      try {
        loadApiConfig(env);
      } catch (error) {
        if (error instanceof InvalidConfigurationError) return error.problems;
        throw error;
      }
      return [];
    };

    it('starts in production with a strong JWT secret, a named VAPID key file and a database password of its own', () => {
      const config = loadApiConfig(production);
      expect(config.api.jwtSecret).toBe(strongSecret);
      expect(config.notifications.vapid.keyFile).toBe('/var/lib/carhealth/secrets/vapid.json');
    });

    it('refuses to start in production without JWT_SECRET, saying how to make one', () => {
      expect(problemsOf({ ...production, JWT_SECRET: undefined })).toEqual([
        expect.stringMatching(/^JWT_SECRET: is required in production: make one with `openssl rand -base64 48`/),
      ]);
      expect(problemsOf({ ...production, JWT_SECRET: '' })).toEqual([expect.stringMatching(/^JWT_SECRET: is required in production/)]);
    });

    it.each([...KNOWN_DEFAULT_SECRETS])('refuses the published default %s in every mode', (secret) => {
      for (const mode of ['production', 'development', 'test']) {
        expect(problemsOf({ ...production, NODE_ENV: mode, JWT_SECRET: secret })).toEqual([
          expect.stringMatching(/^JWT_SECRET: is a published default, so anyone can sign tokens with it: make one with `openssl rand -base64 48`/),
        ]);
      }
    });

    it('refuses a short or repetitive secret, with the length it needs', () => {
      expect(problemsOf({ ...production, JWT_SECRET: 'x7Kp2mQ9vL4wT8rZ' })).toEqual([
        expect.stringMatching(/^JWT_SECRET: must be at least 32 characters \(got 16\): make one with/),
      ]);
      expect(problemsOf({ ...production, JWT_SECRET: 'ab'.repeat(20) })).toEqual([
        expect.stringMatching(/^JWT_SECRET: has fewer than 8 distinct characters/),
      ]);
    });

    it('outside production, signs with a random key per process when none is given (never a guessable one)', () => {
      const first = loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' }).api.jwtSecret;
      const second = loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', NODE_ENV: 'test' }).api.jwtSecret;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(second).toBe(first);
      expect(KNOWN_DEFAULT_SECRETS.has(first)).toBe(false);
    });

    it('refuses in production a VAPID key file left to its default (each replica would make its own pair)', () => {
      expect(problemsOf({ ...production, VAPID_KEY_FILE: undefined })).toEqual([
        expect.stringMatching(/^VAPID_KEY_FILE: must be set in production: an absolute path on storage shared by the API and the worker/),
      ]);
    });

    it("refuses in production a database URL with the shipped password, and keeps development's", () => {
      const shipped = 'postgresql://carhealth:carhealth@postgres:5432/carhealth';
      expect(problemsOf({ ...production, DATABASE_URL: shipped })).toEqual([
        expect.stringMatching(/^DATABASE_URL: carries the shipped default password "carhealth": give the database a password of its own/),
      ]);
      expect(loadApiConfig({ DATABASE_URL: shipped }).databaseUrl).toBe(shipped);
    });
  });

  it('binds the API to loopback unless HOST says otherwise', () => {
    expect(loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' }).api.host).toBe('127.0.0.1');
    expect(loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', HOST: '0.0.0.0' }).api.host).toBe('0.0.0.0');
  });
});

/** Each app validates the sections it uses: what one app does not read cannot stop it. */
describe('config per app', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://carhealth:Wq7vX2pLm9@db:5432/carhealth',
    VAPID_KEY_FILE: '/var/lib/carhealth/secrets/vapid.json',
  };

  it('loads the simulator with no DATABASE_URL, no Redis and no secrets', () => {
    const config = loadSimulatorConfig({ NODE_ENV: 'production', MQTT_URL: 'mqtt://broker:1883' });

    expect(config).toEqual({
      env: 'production',
      logLevel: 'info',
      mqtt: { url: 'mqtt://broker:1883', embeddedBroker: false, shareGroup: '', brokerNodes: [] },
    });
  });

  it('still names a bad MQTT_URL in the simulator', () => {
    expect(() => loadSimulatorConfig({ MQTT_URL: 'http://broker' })).toThrow(/MQTT_URL: must be an mqtt:\/\/ URL/);
  });

  it('refuses the API in production without JWT_SECRET, as before the split', () => {
    expect(() => loadApiConfig(production)).toThrow(InvalidConfigurationError);
    expect(() => loadApiConfig(production)).toThrow(/JWT_SECRET: is required in production/);
  });

  it('starts the worker and ingestion in production without JWT_SECRET, which they never use', () => {
    expect(loadWorkerConfig(production).databaseUrl).toBe(production.DATABASE_URL);
    expect(loadIngestionConfig(production).ingestion.connections).toBe(2);
  });

  it('refuses the worker without DATABASE_URL or without its VAPID key file in production', () => {
    expect(() => loadWorkerConfig({ NODE_ENV: 'development' })).toThrow(/DATABASE_URL/);
    expect(() => loadWorkerConfig({ ...production, VAPID_KEY_FILE: undefined })).toThrow(/VAPID_KEY_FILE: must be set in production/);
  });

  it('watches the worker for a wedge after 20 s by default, off with 0, and refuses a period a healthy worker could exceed', () => {
    const env = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };
    expect(loadWorkerConfig(env).queueWorker.wedgedAfterMs).toBe(20_000);
    expect(loadWorkerConfig({ ...env, QUEUE_WEDGED_AFTER_MS: '0' }).queueWorker.wedgedAfterMs).toBe(0);
    expect(() => loadWorkerConfig({ ...env, QUEUE_WEDGED_AFTER_MS: '5000' })).toThrow(/QUEUE_WEDGED_AFTER_MS: must be 0 \(off\) or at least 10000/);
  });

  it('reads the same variables with the same defaults in every app', () => {
    const env = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', QUEUE_PREFIX: 'fleet', SCORING_DEBOUNCE_MS: '750' };
    const api = loadApiConfig(env);
    const worker = loadWorkerConfig(env);
    const ingestion = loadIngestionConfig(env);

    expect(worker.scoring).toEqual(api.scoring);
    expect(ingestion.scoring).toEqual(api.scoring);
    expect([worker.queuePrefix, ingestion.queuePrefix, worker.redisUrl]).toEqual(['fleet', 'fleet', 'redis://127.0.0.1:6380']);
    expect(worker.notifications).toEqual(api.notifications);
    expect(ingestion.mqtt).toEqual(api.mqtt);
  });
});

describe('Redis mode', () => {
  const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };

  it('is one Redis at REDIS_URL by default', () => {
    const config = loadWorkerConfig(base);
    expect(config.redisCluster).toBeNull();
    expect(config.redisUrl).toBe('redis://127.0.0.1:6380');
  });

  it('is a Redis Cluster when REDIS_CLUSTER_NODES names seed nodes, in every app that uses Redis', () => {
    const env = { ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7001, redis-2.internal:7002,[::1]:7003', REDIS_CLUSTER_PASSWORD: 's3cret' };
    const expected = {
      nodes: [
        { host: '10.0.0.1', port: 7001 },
        { host: 'redis-2.internal', port: 7002 },
        { host: '::1', port: 7003 },
      ],
      password: 's3cret',
      tls: false,
    };
    expect(loadApiConfig(env).redisCluster).toEqual(expected);
    expect(loadWorkerConfig(env).redisCluster).toEqual(expected);
    expect(loadIngestionConfig({ ...env, REDIS_CLUSTER_TLS: 'true' }).redisCluster).toEqual({ ...expected, tls: true });
  });

  it('names a seed node that is not host:port', () => {
    expect(() => loadWorkerConfig({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7001,10.0.0.2' })).toThrow(
      /REDIS_CLUSTER_NODES: "10.0.0.2" is not host:port/,
    );
    expect(() => loadWorkerConfig({ ...base, REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7001' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadWorkerConfig({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:70000' })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it("reads the broker tier's MQTT listeners (MQTT_BROKER_NODES) for the API's readiness, and names a bad one", () => {
    const config = loadApiConfig({ ...base, MQTT_BROKER_NODES: '10.0.0.1:1883,nats-2.internal:1883' });
    expect(config.mqtt.brokerNodes).toEqual([
      { host: '10.0.0.1', port: 1883 },
      { host: 'nats-2.internal', port: 1883 },
    ]);
    expect(loadApiConfig(base).mqtt.brokerNodes).toEqual([]);
    expect(() => loadApiConfig({ ...base, MQTT_BROKER_NODES: 'mqtt://10.0.0.1:1883' })).toThrow(
      /MQTT_BROKER_NODES: "mqtt:\/\/10.0.0.1:1883" is not host:port/,
    );
  });

  it('refuses a queue prefix with its own hash tag in cluster mode only (the platform adds the tags)', () => {
    expect(() => loadIngestionConfig({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7001', QUEUE_PREFIX: '{fleet}' })).toThrow(
      /QUEUE_PREFIX: must not contain/,
    );
    expect(loadIngestionConfig({ ...base, QUEUE_PREFIX: '{fleet}' }).queuePrefix).toBe('{fleet}');
  });
});

describe('ingestion source', () => {
  const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };

  it('is the MQTT broker by default', () => {
    expect(loadIngestionConfig(base).ingestion.source).toBe('mqtt');
  });

  it('is the NATS tier with its servers, login and shared consumer', () => {
    const config = loadIngestionConfig({
      ...base,
      INGESTION_SOURCE: 'nats',
      NATS_SERVERS: 'nats://10.0.0.1:4222, nats://nats-2.internal:4222',
      NATS_USER: 'carhealth',
      NATS_PASSWORD: 's3cret',
    });
    expect(config.ingestion.source).toBe('nats');
    expect(config.ingestion.nats).toEqual({
      servers: ['nats://10.0.0.1:4222', 'nats://nats-2.internal:4222'],
      user: 'carhealth',
      password: 's3cret',
      consumer: 'ingest',
      ackWaitMs: 60_000,
    });
  });

  it('refuses nats without servers, a server that is not nats://host:port, and an unknown source', () => {
    expect(() => loadIngestionConfig({ ...base, INGESTION_SOURCE: 'nats' })).toThrow(/NATS_SERVERS: is required with INGESTION_SOURCE=nats/);
    expect(() => loadIngestionConfig({ ...base, INGESTION_SOURCE: 'nats', NATS_SERVERS: '10.0.0.1:4222' })).toThrow(
      /NATS_SERVERS: "10.0.0.1:4222" is not nats/,
    );
    expect(() => loadIngestionConfig({ ...base, INGESTION_SOURCE: 'kafka' })).toThrow(/INGESTION_SOURCE/);
    expect(() => loadIngestionConfig({ ...base, NATS_CONSUMER: 'has space' })).toThrow(/NATS_CONSUMER/);
  });
});
