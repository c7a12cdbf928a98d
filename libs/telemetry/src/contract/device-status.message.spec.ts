import { checkDeviceStatus, deviceStatusPayloads, parseDeviceStatusTopic } from './device-status.message.js';

describe(checkDeviceStatus.name, () => {
  it('reads the three words a device publishes', () => {
    const at = new Date('2026-12-06T08:00:00.000Z');
    expect(checkDeviceStatus(JSON.parse(deviceStatusPayloads.birth(at, '1.4.2')))).toEqual({
      ok: true,
      status: { state: 'online', ts: '2026-12-06T08:00:00.000Z', fw: '1.4.2' },
    });
    expect(checkDeviceStatus(JSON.parse(deviceStatusPayloads.lastWill()))).toEqual({ ok: true, status: { state: 'offline', reason: 'unexpected' } });
    expect(checkDeviceStatus(JSON.parse(deviceStatusPayloads.cleanShutdown()))).toEqual({ ok: true, status: { state: 'offline', reason: 'clean' } });
  });

  it('refuses anything else with the reason, and ignores unknown fields', () => {
    expect(checkDeviceStatus({ state: 'sleeping' })).toMatchObject({ ok: false, problem: expect.stringContaining('state') });
    expect(checkDeviceStatus({ state: 'offline' })).toMatchObject({ ok: false, problem: expect.stringContaining('reason') });
    expect(checkDeviceStatus('online')).toMatchObject({ ok: false });
    expect(checkDeviceStatus({ state: 'online', rssi: -70 })).toEqual({ ok: true, status: { state: 'online' } });
  });
});

describe(parseDeviceStatusTopic.name, () => {
  it('takes the VIN of vehicles/{vin}/status only', () => {
    expect(parseDeviceStatusTopic('vehicles/lchdem00000000001/status')).toBe('LCHDEM00000000001');
    expect(parseDeviceStatusTopic('vehicles/LCHDEM00000000001/telemetry')).toBeUndefined();
    expect(parseDeviceStatusTopic('vehicles/NOT-A-VIN/status')).toBeUndefined();
    expect(parseDeviceStatusTopic('vehicles/LCHDEM00000000001/status/reply')).toBeUndefined();
  });
});
