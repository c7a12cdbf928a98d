import { devicePresenceEvent, presenceOf } from './device-presence.event.js';

const NOW = new Date('2026-12-06T17:30:05.000Z');
const CENTER = '6f1c1c1e-0000-4000-8000-000000000001';

describe(devicePresenceEvent.name, () => {
  it("goes to the car's center only, with the state, the one before and since when", () => {
    const sut = devicePresenceEvent(
      {
        vin: 'LCHDEM00000000001',
        serviceCenterId: CENTER,
        previous: 'CONNECTED',
        state: 'UNPLUGGED',
        since: new Date('2026-12-06T17:30:00.000Z'),
        firmware: '1.4.2',
      },
      NOW,
    );
    expect(sut).toEqual({
      audience: `center:${CENTER}`,
      event: {
        type: 'device',
        title: 'Device unplugged',
        text: 'LCHDEM00000000001',
        data: {
          event: 'presence',
          vin: 'LCHDEM00000000001',
          state: 'UNPLUGGED',
          previous: 'CONNECTED',
          since: '2026-12-06T17:30:00.000Z',
          firmware: '1.4.2',
        },
        at: NOW.toISOString(),
      },
    });
  });
});

describe(presenceOf.name, () => {
  it('words a stored row as the dashboard does: never connected, connected, offline (goodbye), unplugged (will)', () => {
    expect(presenceOf(null)).toBe('NEVER_CONNECTED');
    expect(presenceOf({ state: 'ONLINE', offlineReason: null })).toBe('CONNECTED');
    expect(presenceOf({ state: 'OFFLINE', offlineReason: 'CLEAN' })).toBe('OFFLINE');
    expect(presenceOf({ state: 'OFFLINE', offlineReason: 'UNEXPECTED' })).toBe('UNPLUGGED');
  });
});
