import { InvalidConfigurationError, loadConfig } from './app-config.js';

describe(loadConfig.name, () => {
  it('applies the embedded defaults around a database URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(config.api.port).toBe(3000);
    expect(config.mqtt.shareGroup).toBe('ingest');
    expect(config.mqtt.embeddedBroker).toBe(false);
    expect(config.ingestion.connections).toBe(2);
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
});
