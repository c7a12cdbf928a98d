import { estimateAirMassFlowGps, estimateFuelRate } from './fuel-rate.estimator.js';

// Hand computation, petrol: L/h = MAF g/s x 3600 / (14.7 x 745 g/L) = MAF x 3600 / 10951.5.
// Speed-density: MAF = rpm/120 x MAP x displacement x VE / (8.314 x T) x 28.97.
// Inputs are picked so the arithmetic is easy: MAP = 8.314 x k kPa and intake 26.85 C = 300 K.

describe(estimateFuelRate.name, () => {
  it('converts MAF to litres per hour at stoichiometry', () => {
    // 10 g/s x 3600 = 36000 g/h of air; / 14.7 = 2448.98 g/h of fuel; / 745 = 3.2872 L/h.
    const sut = estimateFuelRate({ mafGps: 10 });

    expect(sut?.method).toBe('maf');
    expect(sut?.fuelRateLph).toBeCloseTo(3.2872, 4);
  });

  it('prefers MAF over speed-density when both are possible', () => {
    const sut = estimateFuelRate({ mafGps: 2, manifoldPressureKpa: 41.57, rpm: 1200, intakeTempC: 26.85 });

    expect(sut?.method).toBe('maf');
    expect(sut?.fuelRateLph).toBeCloseTo((2 * 3600) / 10951.5, 6);
  });

  it('estimates by speed-density with the default 1.6 L engine and 0.85 volumetric efficiency', () => {
    // 1200 rpm = 10 intake cycles/s; 41.57 kPa / 8.314 = 5; 5 x 1.6 x 0.85 / 300 K = 0.0226667 mol per cycle;
    // x 10 = 0.226667 mol/s; x 28.97 g/mol = 6.56653 g/s of air; x 3600 / 10951.5 = 2.15856 L/h.
    const sut = estimateFuelRate({ manifoldPressureKpa: 41.57, rpm: 1200, intakeTempC: 26.85 });

    expect(sut?.method).toBe('speed-density');
    expect(sut?.fuelRateLph).toBeCloseTo(2.15856, 4);
  });

  it('uses the engine displacement given in the sample', () => {
    // 2.0 L instead of 1.6 L: 6.56653 x 2.0 / 1.6 = 8.20817 g/s; x 3600 / 10951.5 = 2.69820 L/h.
    const sut = estimateFuelRate({ manifoldPressureKpa: 41.57, rpm: 1200, intakeTempC: 26.85, engineDisplacementL: 2 });

    expect(sut?.fuelRateLph).toBeCloseTo(2.6982, 4);
  });

  it('reads zero with the engine stopped', () => {
    expect(estimateFuelRate({ manifoldPressureKpa: 100, rpm: 0, intakeTempC: 20 })?.fuelRateLph).toBe(0);
  });

  it('gives nothing when neither MAF nor all of MAP, rpm and intake temperature are known', () => {
    expect(estimateFuelRate({})).toBeUndefined();
    expect(estimateFuelRate({ manifoldPressureKpa: 40, rpm: 1200 })).toBeUndefined();
    expect(estimateFuelRate({ rpm: 1200, intakeTempC: 30 })).toBeUndefined();
  });
});

describe(estimateAirMassFlowGps.name, () => {
  it('scales with volumetric efficiency', () => {
    // 2400 rpm = 20 cycles/s; 83.14 kPa / 8.314 = 10; 10 x 1.6 x 1.0 / 300 = 0.053333 mol; x 20 x 28.97 = 30.9013 g/s.
    const sut = estimateAirMassFlowGps({ manifoldPressureKpa: 83.14, rpm: 2400, intakeTempC: 26.85, volumetricEfficiency: 1 });

    expect(sut).toBeCloseTo(30.9013, 3);
  });
});
