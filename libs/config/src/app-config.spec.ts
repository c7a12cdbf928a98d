import { InvalidConfigurationError, loadConfig } from './app-config.js';

describe(loadConfig.name, () => {
  it('applies the embedded defaults around a database URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(config.api.port).toBe(3000);
    expect(config.mqtt.shareGroup).toBe('');
    expect(config.mqtt.embeddedBroker).toBe(false);
    expect(config.ingestion.connections).toBe(2);
  });

  it('limits 600 requests a minute and 10 failed logins per account, 50 per address, in 15 minutes by default', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(config.rateLimit).toEqual({
      requestsPerMinute: 600,
      login: { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowSeconds: 900 },
    });
    expect(config.api.trustProxyHops).toBe(0);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: '-1' })).toThrow(InvalidConfigurationError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: '-1' });
    } catch (error) {
      expect((error as InvalidConfigurationError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'PORT',
      ]);
    }
  });

  describe('broker device logins', () => {
    const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };

    it('leaves them to whoever runs the broker when the files are not configured', () => {
      const config = loadConfig({ ...base, MQTT_DEVICE_PASSWORD_FILE: '', MQTT_DEVICE_ACL_FILE: '' });
      expect(config.brokerAuth).toEqual({ deviceEndpoint: { host: '127.0.0.1', port: 1884 }, files: null });
    });

    it('takes both files and the pid file', () => {
      const config = loadConfig({
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
      expect(() => loadConfig({ ...base, MQTT_DEVICE_PASSWORD_FILE: '/s/devices.passwd' })).toThrow(/MQTT_DEVICE_ACL_FILE/);
    });
  });
});
