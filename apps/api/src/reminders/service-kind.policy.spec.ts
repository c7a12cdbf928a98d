import { serviceForFinding } from './service-kind.policy.js';

describe(serviceForFinding.name, () => {
  it('replaces the worn tyre at its wheel', () => {
    expect(serviceForFinding('TIRES', 'TIRE_TREAD_WEAR', 'RL')).toEqual({ kind: 'TIRE_REPLACEMENT', positions: ['RL'] });
  });

  it('repairs a slow leak or low pressure at the wheel rather than replacing the tyre', () => {
    expect(serviceForFinding('TIRES', 'TIRE_SLOW_LEAK', 'FL')).toEqual({ kind: 'PUNCTURE_REPAIR', positions: ['FL'] });
    expect(serviceForFinding('TIRES', 'TIRE_UNDER_INFLATED', 'FR')).toEqual({ kind: 'PUNCTURE_REPAIR', positions: ['FR'] });
    expect(serviceForFinding('TIRES', 'TIRE_PRESSURE_LOSS', 'FL')).toEqual({ kind: 'PUNCTURE_REPAIR', positions: ['FL'] });
  });

  it('aligns the wheels for uneven wear', () => {
    expect(serviceForFinding('TIRES', 'TIRE_UNEVEN_WEAR', 'FL')).toEqual({ kind: 'WHEEL_ALIGNMENT', positions: [] });
  });

  it.each([
    ['oil', 'OIL_CHANGE'],
    ['air-filter', 'AIR_FILTER'],
    ['brake-fluid', 'BRAKE_SERVICE'],
    ['coolant', 'COOLANT_SERVICE'],
    ['tire-rotation', 'TIRE_ROTATION'],
    ['inspection', 'GENERAL_INSPECTION'],
  ])('records the scheduled item %s as %s', (subject, kind) => {
    expect(serviceForFinding('SERVICE_SCHEDULE', 'SERVICE_DUE', subject)).toEqual({ kind, positions: [] });
  });

  it('maps cooling, battery and fuel findings to the work their models reset on', () => {
    expect(serviceForFinding('ENGINE_COOLING', 'COOLANT_DRIFT', '').kind).toBe('COOLANT_SERVICE');
    expect(serviceForFinding('ENGINE_COOLING', 'COOLANT_OVERHEAT', '').kind).toBe('COOLANT_SERVICE');
    expect(serviceForFinding('ENGINE_COOLING', 'THERMOSTAT_STUCK_OPEN', 'thermostat').kind).toBe('THERMOSTAT_REPLACEMENT');
    expect(serviceForFinding('BATTERY', 'BATTERY_WEAK_CRANKING', 'battery').kind).toBe('BATTERY_REPLACEMENT');
    expect(serviceForFinding('FUEL_ECONOMY', 'FUEL_ECONOMY_DEGRADED', '').kind).toBe('FUEL_SYSTEM_SERVICE');
  });

  it('falls back to the component when a model adds a code this table does not know', () => {
    expect(serviceForFinding('DIAGNOSTICS', 'DTC_ACTIVE', 'P0128')).toEqual({ kind: 'GENERAL_INSPECTION', positions: [] });
    expect(serviceForFinding('BATTERY', 'SOMETHING_NEW', '')).toEqual({ kind: 'BATTERY_REPLACEMENT', positions: [] });
  });
});
