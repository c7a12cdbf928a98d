import { InvalidArgumentError } from './invalid-argument.error.js';
import { parseSimulatorOptions } from './simulator-options.js';
import { fleetVin } from './vin.js';

const URL = 'mqtt://127.0.0.1:1883';

describe(parseSimulatorOptions.name, () => {
  it('applies the documented defaults', () => {
    const sut = parseSimulatorOptions([], URL);

    expect(sut).toMatchObject({ vehicles: 5, intervalMs: 1000, durationS: undefined, rate: undefined, url: URL, vinPrefix: 'LCHDEM' });
    expect(sut).toMatchObject({ startIndex: 1, batch: 1, faults: [], backfillDays: 0, replay: undefined, clients: 1 });
  });

  it('reads repeated faults with optional onset and rate', () => {
    const sut = parseSimulatorOptions(['--vehicles', '3', '--fault', '1:coolant-drift:10', '--fault', '3:slow-leak:2:6'], URL);

    expect(sut.faults).toEqual([
      { vehicleIndex: 1, kind: 'coolant-drift', onsetDays: 10, rate: 0.4 },
      { vehicleIndex: 3, kind: 'slow-leak', onsetDays: 2, rate: 6 },
    ]);
  });

  it('reads an onset given as a wall-clock time (@epoch ms) for a fault that must begin at a known instant', () => {
    const sut = parseSimulatorOptions(['--vehicles', '2', '--fault', '2:puncture:@1700000000000'], URL);

    expect(sut.faults).toEqual([{ vehicleIndex: 2, kind: 'puncture', onsetAtMs: 1_700_000_000_000, onsetDays: 0, rate: 125 }]);
  });

  it('publishes on the internal listener unless given a device logins file', () => {
    expect(parseSimulatorOptions([], URL).devicesFile).toBeUndefined();
    expect(parseSimulatorOptions(['--devices-file', '/state/demo-devices.json'], URL).devicesFile).toBe('/state/demo-devices.json');
  });

  it("spreads the devices over a broker cluster's listeners when given --device-nodes, and names a bad one", () => {
    expect(parseSimulatorOptions([], URL).deviceNodes).toEqual([]);
    expect(parseSimulatorOptions(['--device-nodes', '127.0.0.1:4406,broker-2:4407'], URL).deviceNodes).toEqual([
      { host: '127.0.0.1', port: 4406 },
      { host: 'broker-2', port: 4407 },
    ]);
    expect(() => parseSimulatorOptions(['--device-nodes', 'mqtt://127.0.0.1:4406'], URL)).toThrow(
      /--device-nodes: "mqtt:\/\/127.0.0.1:4406" is not host:port/,
    );
  });

  it.each([
    [['--vehicles', '0']],
    [['--interval', 'fast']],
    [['--fault', '1:engine-fire']],
    [['--fault', '9:slow-leak']],
    [['--replay', 'x.csv']],
    [['--unknown']],
  ])('rejects %j', (argv) => {
    expect(() => parseSimulatorOptions(argv, URL)).toThrow(InvalidArgumentError);
  });
});

describe(fleetVin.name, () => {
  it('pads the index to 17 characters after the prefix', () => {
    expect(fleetVin('LCHDEM', 1)).toBe('LCHDEM00000000001');
    expect(fleetVin('LCHDEM', 12345)).toBe('LCHDEM00000012345');
    expect(() => fleetVin('LCHDEMOLONGPREFIX', 1)).toThrow(InvalidArgumentError);
  });
});
