import { parseTelemetryTopic } from './telemetry-topic.parser.js';
import { VIN } from './telemetry-payload.factory.js';

describe(parseTelemetryTopic.name, () => {
  it('returns the VIN of a telemetry topic, upper-cased', () => {
    expect(parseTelemetryTopic(`vehicles/${VIN}/telemetry`)).toBe(VIN);
    expect(parseTelemetryTopic('vehicles/1hgcm82633a004352/telemetry')).toBe('1HGCM82633A004352');
  });

  it.each([
    ['another suffix', `vehicles/${VIN}/status`],
    ['an extra level', `vehicles/${VIN}/telemetry/x`],
    ['a leading slash', `/vehicles/${VIN}/telemetry`],
    ['another root', `cars/${VIN}/telemetry`],
    ['a wildcard', 'vehicles/+/telemetry'],
    ['a VIN of 16 characters', 'vehicles/LCHDEM0000000001/telemetry'],
    ['a VIN of 18 characters', 'vehicles/LCHDEM000000000001/telemetry'],
    ['the letter O in the VIN', 'vehicles/LCHDEMO0000000001/telemetry'],
    ['the letter Q in the VIN', 'vehicles/LCHDEMQ0000000001/telemetry'],
    ['an empty topic', ''],
  ])('refuses %s', (_, topic) => {
    expect(parseTelemetryTopic(topic)).toBeUndefined();
  });
});
