import { DEFAULT_CONTRACT_LIMITS } from './contract-limits.model.js';
import { aSample, RECEIVED_AT, type RawSample } from './telemetry-payload.factory.js';
import { normalizeSample } from './telemetry-sample.normalizer.js';

function sut(raw: RawSample) {
  const outcome = normalizeSample(raw, RECEIVED_AT.getTime(), DEFAULT_CONTRACT_LIMITS);
  if (!outcome.ok) throw new Error(`expected the sample to be accepted: ${outcome.rejection.detail}`);
  const { ts: _ts, seq: _seq, ...fields } = outcome.sample;
  return fields;
}

function rejectionOf(raw: RawSample) {
  const outcome = normalizeSample(raw, RECEIVED_AT.getTime(), DEFAULT_CONTRACT_LIMITS);
  if (outcome.ok) throw new Error('expected the sample to be refused');
  return outcome.rejection;
}

describe(normalizeSample.name, () => {
  describe('unit variants', () => {
    it('converts miles, mph and Fahrenheit to canonical units', () => {
      const fields = sut(aSample({ odometerMi: 1000, speedMph: 50, coolantTempF: 212, intakeTempF: 32, ambientTempF: -40 }));

      expect(fields.odometerKm).toBeCloseTo(1609.344, 6);
      expect(fields.speedKph).toBeCloseTo(80.4672, 6);
      expect(fields.coolantTempC).toBeCloseTo(100, 9);
      expect(fields.intakeTempC).toBeCloseTo(0, 9);
      expect(fields.ambientTempC).toBeCloseTo(-40, 9);
    });

    it('converts US gallons per hour and manifold psi', () => {
      const fields = sut(aSample({ fuelRateGph: 1, manifoldPressurePsi: 14.5 }));

      expect(fields.fuelRateLph).toBeCloseTo(3.785411784, 9);
      expect(fields.fuelRateEstimated).toBe(false);
      expect(fields.manifoldPressureKpa).toBeCloseTo(99.974, 3);
    });

    it('converts tire pressure in psi or bar and tread in 32nds of an inch', () => {
      const fields = sut(aSample({ tires: { FL: { pressurePsi: 32 }, FR: { pressureBar: 2.4 }, RL: { treadIn32: 8 } } }));

      expect(fields.tires?.FL?.pressureKpa).toBeCloseTo(220.632, 3);
      expect(fields.tires?.FR?.pressureKpa).toBeCloseTo(240, 9);
      expect(fields.tires?.RL?.treadMm).toBeCloseTo(6.35, 9);
      expect(fields.tires?.RR).toBeUndefined();
    });

    it('prefers the canonical key when a sample sends both, and ignores the other even if implausible', () => {
      expect(sut(aSample({ speedMph: 999, speedKph: 62 })).speedKph).toBe(62);
      expect(sut(aSample({ tires: { FL: { pressurePsi: 999, pressureKpa: 230 } } })).tires).toEqual({ FL: { pressureKpa: 230 } });
    });
  });

  describe('COVESA VSS aliases', () => {
    const vss = {
      'Vehicle.Speed': 62,
      'Vehicle.TraveledDistance': 48211.4,
      'Vehicle.Powertrain.CombustionEngine.Speed': 2100,
      'Vehicle.Powertrain.CombustionEngine.EngineCoolant.Temperature': 91.5,
      'Vehicle.OBD.MAF': 3.5,
      'Vehicle.OBD.EngineLoad': 35,
      'Vehicle.OBD.IntakeTemp': 28,
      'Vehicle.OBD.MAP': 45,
      'Vehicle.OBD.ThrottlePosition': 18,
      'Vehicle.LowVoltageBattery.CurrentVoltage': 14.1,
      'Vehicle.Exterior.AirTemperature': 12,
      'Vehicle.OBD.DTCList': ['p0128'],
      'Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure': 230,
      'Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure': 226,
    };
    const expected = {
      speedKph: 62,
      odometerKm: 48211.4,
      rpm: 2100,
      coolantTempC: 91.5,
      mafGps: 3.5,
      engineLoadPct: 35,
      intakeTempC: 28,
      manifoldPressureKpa: 45,
      throttlePct: 18,
      batteryV: 14.1,
      ambientTempC: 12,
      dtcs: ['P0128'],
      tires: { FL: { pressureKpa: 230 }, RR: { pressureKpa: 226 } },
    };

    it('reads flat VSS keys', () => {
      expect(sut(aSample(vss))).toMatchObject(expected);
    });

    it('reads the same paths as nested objects, and mixes of both', () => {
      const nested = {
        Vehicle: {
          Speed: 62,
          TraveledDistance: 48211.4,
          Powertrain: { CombustionEngine: { Speed: 2100, EngineCoolant: { Temperature: 91.5 } } },
          OBD: { MAF: 3.5, EngineLoad: 35, IntakeTemp: 28, MAP: 45, ThrottlePosition: 18, DTCList: ['p0128'] },
          LowVoltageBattery: { CurrentVoltage: 14.1 },
          Exterior: { AirTemperature: 12 },
        },
        'Vehicle.Chassis.Axle': { Row1: { Wheel: { Left: { Tire: { Pressure: 230 } } } }, Row2: { Wheel: { Right: { Tire: { Pressure: 226 } } } } },
      };

      expect(sut(aSample(nested))).toMatchObject(expected);
    });

    it('accepts the older coolant names and the OBD branch names', () => {
      expect(sut(aSample({ 'Vehicle.Powertrain.CombustionEngine.EngineCoolantTemperature': 88 })).coolantTempC).toBe(88);
      expect(sut(aSample({ Vehicle: { OBD: { CoolantTemperature: 87, EngineSpeed: 900, Speed: 0, ControlModuleVoltage: 12.6 } } }))).toMatchObject({
        coolantTempC: 87,
        rpm: 900,
        speedKph: 0,
        batteryV: 12.6,
      });
    });

    it('gives canonical keys precedence over VSS', () => {
      expect(sut(aSample({ 'Vehicle.Speed': 70, speedKph: 62 })).speedKph).toBe(62);
      expect(sut(aSample({ 'Vehicle.OBD.DTCList': ['P0300'], dtcs: ['P0128'] })).dtcs).toEqual(['P0128']);
    });

    it('range-checks VSS values under their own name', () => {
      expect(rejectionOf(aSample({ Vehicle: { OBD: { MAP: 300 } } }))).toEqual({
        reason: 'OUT_OF_RANGE',
        detail: 'Vehicle.OBD.MAP 300 kPa is outside the plausible manifoldPressureKpa range 0..255 kPa',
      });
    });

    it('turns InstantConsumption (l/100km) into L/h with the speed of the same sample', () => {
      // 6 l/100km at 80 km/h burns 6 x 0.8 = 4.8 L/h.
      const fields = sut(aSample({ 'Vehicle.Powertrain.FuelSystem.InstantConsumption': 6, speedKph: 80 }));

      expect(fields.fuelRateLph).toBeCloseTo(4.8, 9);
      expect(fields.fuelRateEstimated).toBe(false);
    });

    it('ignores InstantConsumption at standstill, where l/100km says nothing about flow', () => {
      const fields = sut(aSample({ 'Vehicle.Powertrain.FuelSystem.InstantConsumption': 99, speedKph: 0 }));

      expect(fields.fuelRateLph).toBeUndefined();
    });
  });

  describe('fuel rate', () => {
    it('keeps a reported fuel rate and marks it as not estimated', () => {
      expect(sut(aSample({ fuelRateLph: 4.2, mafGps: 10 }))).toMatchObject({ fuelRateLph: 4.2, fuelRateEstimated: false });
    });

    it('estimates it from MAF when absent', () => {
      const fields = sut(aSample({ mafGps: 10 }));

      expect(fields.fuelRateLph).toBeCloseTo(3.2872, 4);
      expect(fields.fuelRateEstimated).toBe(true);
    });

    it('estimates it by speed-density with the engine displacement of the sample', () => {
      // See fuel-rate.estimator.spec: 2.0 L at 41.57 kPa, 1200 rpm, 300 K -> 2.6982 L/h.
      const fields = sut(aSample({ manifoldPressureKpa: 41.57, rpm: 1200, intakeTempC: 26.85, engineDisplacementL: 2 }));

      expect(fields.fuelRateLph).toBeCloseTo(2.6982, 4);
      expect(fields.fuelRateEstimated).toBe(true);
      expect(fields).not.toHaveProperty('engineDisplacementL');
    });

    it('leaves it absent without the inputs for an estimate', () => {
      expect(sut(aSample({ rpm: 1200, intakeTempC: 30 }))).not.toHaveProperty('fuelRateLph');
    });

    it('refuses an implausible engine displacement', () => {
      expect(rejectionOf(aSample({ engineDisplacementL: 0 }))).toEqual({
        reason: 'OUT_OF_RANGE',
        detail: 'engineDisplacementL 0 L is outside the plausible range 0.05..20 L',
      });
    });
  });

  describe('other fields', () => {
    it('ignores unknown fields, null values and non-VSS objects', () => {
      expect(sut(aSample({ firmware: '1.2.3', speedKph: null, gps: { lat: 1 }, Vehicle: { Cabin: { Door: 1 } } }))).toEqual({});
    });

    it('upper-cases and de-duplicates trouble codes, keeping an empty list', () => {
      expect(sut(aSample({ dtcs: [' p0128', 'P0128', 'u0100'] })).dtcs).toEqual(['P0128', 'U0100']);
      expect(sut(aSample({ dtcs: [] })).dtcs).toEqual([]);
    });

    it('refuses tires that are not an object per wheel', () => {
      expect(rejectionOf(aSample({ tires: { FL: 230 } }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'tires.FL must be an object like {"treadMm":6.1,"pressureKpa":230}, got 230',
      });
      expect(rejectionOf(aSample({ tires: [] }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'tires must be an object keyed by FL, FR, RL, RR, got an array',
      });
    });

    it('accepts a sample with only ts and seq (a heartbeat)', () => {
      expect(sut(aSample())).toEqual({});
    });

    it('accepts every range boundary', () => {
      const low = { odometerKm: 0, speedKph: 0, rpm: 0, coolantTempC: -40, fuelRateLph: 0, batteryV: 0, engineLoadPct: 0 };
      const high = { odometerKm: 2_000_000, speedKph: 300, rpm: 16_383, coolantTempC: 215, fuelRateLph: 200, batteryV: 36, mafGps: 655.35 };

      expect(sut(aSample(low))).toMatchObject(low);
      expect(sut(aSample(high))).toMatchObject(high);
    });

    it.each([
      ['speedKph', 300.5, 'speedKph 300.5 km/h is outside the plausible range 0..300 km/h'],
      ['rpm', 16_384, 'rpm 16384 rpm is outside the plausible range 0..16383 rpm'],
      ['odometerKm', -1, 'odometerKm -1 km is outside the plausible range 0..2000000 km'],
      ['batteryV', 48, 'batteryV 48 V is outside the plausible range 0..36 V'],
      ['fuelRateLph', 250, 'fuelRateLph 250 L/h is outside the plausible range 0..200 L/h'],
      ['throttlePct', 101, 'throttlePct 101 % is outside the plausible range 0..100 %'],
      ['intakeTempC', -41, 'intakeTempC -41 °C is outside the plausible range -40..215 °C'],
      ['mafGps', 700, 'mafGps 700 g/s is outside the plausible range 0..655.35 g/s'],
    ])('refuses %s %s', (field, value, detail) => {
      expect(rejectionOf(aSample({ [field]: value }))).toEqual({ reason: 'OUT_OF_RANGE', detail });
    });

    it('refuses tread depth beyond 20 mm', () => {
      expect(rejectionOf(aSample({ tires: { FL: { treadMm: 25 } } })).detail).toBe('tires.FL.treadMm 25 mm is outside the plausible range 0..20 mm');
    });
  });
});
