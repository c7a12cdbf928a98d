// Owner-facing English for each finding code the maintenance models emit (libs/maintenance/src).
import type { FindingTextCatalog, FindingTextInput } from './finding-text.model.js';

const WHEELS: Record<string, string> = { FL: 'front left', FR: 'front right', RL: 'rear left', RR: 'rear right' };
const SERVICE_ITEMS: Record<string, string> = {
  oil: 'Oil service',
  'air-filter': 'Air filter replacement',
  'brake-fluid': 'Brake fluid change',
  coolant: 'Coolant change',
  'tire-rotation': 'Tyre rotation',
  inspection: 'General inspection',
};

const km = (n: number): string => `${Math.round(n).toLocaleString('en-GB')} km`;
const wheelOf = (i: FindingTextInput, key = 'wheel'): string => WHEELS[i.params.str(key) ?? i.subject] ?? 'one';
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const opt = (value: number | undefined, text: (v: number) => string): string => (value === undefined ? '' : text(value));

export const ENGLISH_FINDINGS: FindingTextCatalog = {
  TIRE_TREAD_WEAR: (i) => {
    const p = i.params;
    const tread = p.num('treadMm');
    return {
      headline: `${cap(wheelOf(i))} tyre tread is wearing out`,
      why:
        `The tread was measured at ${tread ?? '?'} mm` +
        opt(p.num('wearMmPer1000Km'), (w) => `, wearing ${w} mm per 1,000 km`) +
        opt(p.num('kmTo3mm'), (k) => (k > 0 ? `; it reaches 3.0 mm in about ${km(k)}` : '')) +
        '.',
      action:
        tread !== undefined && tread < 1.6
          ? 'It is below the 1.6 mm legal minimum: replace the tyre before driving further.'
          : 'Book a tyre replacement; we recommend replacing tyres at 3.0 mm of tread.',
    };
  },
  TIRE_SLOW_LEAK: (i) => {
    const p = i.params;
    return {
      headline: `${cap(wheelOf(i))} tyre is losing air`,
      why:
        `It loses about ${p.num('lossKpaPerDay') ?? '?'} kPa a day more than the other tyre on its axle` +
        opt(p.num('recentDropKpa'), (d) => (d > 0 ? `, and dropped ${d} kPa recently` : '')) +
        '.',
      action:
        i.risk === 'CRITICAL'
          ? 'Stop as soon as it is safe and check the tyre: it may be punctured.'
          : `Have it checked for a slow puncture or a leaking valve${opt(p.num('daysToUnsafe'), (d) => ` within ${Math.max(1, Math.floor(d))} days`)}.`,
    };
  },
  TIRE_PRESSURE_LOSS: (i) => {
    const p = i.params;
    return {
      headline: `${cap(wheelOf(i))} tyre is losing air fast`,
      why:
        `Its pressure is ${p.num('pressureKpa') ?? '?'} kPa` +
        opt(p.num('referenceKpa'), (r) => `, ${p.num('deficitPct') ?? '?'} % below the other tyres (${r} kPa)`) +
        ': most likely a puncture.' +
        (p.num('lowReadings') === 1 ? ' One reading so far: if it was a sensor error, the next reading clears this.' : ''),
      action:
        i.risk === 'CRITICAL'
          ? 'Stop as soon as it is safe and check the tyre: do not drive on it this low (fit the spare or call for assistance).'
          : 'Check the tyre and inflate it to the pressure on the door sticker at once; if it loses air again, have it repaired.',
    };
  },
  TIRE_UNDER_INFLATED: (i) => {
    const p = i.params;
    return {
      headline: `${cap(wheelOf(i))} tyre is under-inflated`,
      why:
        `Its pressure is ${p.num('pressureKpa') ?? '?'} kPa` +
        opt(p.num('referenceKpa'), (r) => `, ${p.num('deficitPct') ?? '?'} % below the other tyres (${r} kPa)`) +
        '.',
      action: 'Inflate it to the pressure on the door sticker and check it again in a few days.',
    };
  },
  TIRE_UNEVEN_WEAR: (i) => ({
    headline: `${cap(wheelOf(i))} tyre is wearing unevenly`,
    why:
      `It wears faster than the ${wheelOf(i, 'partner')} tyre on the same axle` +
      opt(i.params.num('depthDiffMm'), (d) => ` (${d} mm less tread)`) +
      '.',
    action: 'Ask for a wheel alignment check.',
  }),
  COOLANT_DRIFT: (i) => {
    const p = i.params;
    return {
      headline: 'Engine running hotter than usual',
      why:
        `When warm it now runs at about ${p.num('currentC') ?? '?'} °C, up from its usual ${p.num('baselineC') ?? '?'} °C` +
        opt(p.num('daysToDanger'), (d) => `; at this rate it reaches a dangerous temperature in about ${d} days`) +
        '.',
      action: 'Have the cooling system checked (coolant level, radiator, fan, water pump).',
    };
  },
  COOLANT_OVERHEAT: (i) => {
    const p = i.params;
    return {
      headline: 'Engine overheated',
      why: `It overheated ${p.num('episodes') ?? '?'} time(s) recently, up to ${p.num('peakC') ?? '?'} °C.`,
      action:
        i.risk === 'CRITICAL'
          ? 'Stop driving as soon as it is safe and let the engine cool: driving on can destroy the engine. Call a workshop.'
          : 'Have the cooling system checked soon; if the temperature warning lights up, stop and let the engine cool.',
    };
  },
  THERMOSTAT_STUCK_OPEN: (i) => {
    const p = i.params;
    return {
      headline: 'Thermostat probably stuck open',
      why:
        `On the last ${p.num('coldDrives') ?? '?'} drive(s) long enough to warm up, the engine stayed at ${p.num('minC') ?? '?'}-${p.num('maxC') ?? '?'} °C` +
        opt(p.num('beforeMinC'), (low) => `, against ${low}-${p.num('beforeMaxC') ?? '?'} °C before`) +
        '.',
      action: 'Have the thermostat replaced: a cold engine uses more fuel and wears faster.',
    };
  },
  COOLANT_DANGER_EPISODES: (i) => {
    const p = i.params;
    return {
      headline: 'Engine running close to overheating',
      why:
        `It went above 105 °C ${p.num('episodes') ?? '?'} times on ${p.num('days') ?? '?'} day(s) in the last two weeks, up to ${p.num('peakC') ?? '?'} °C` +
        opt(p.num('ratePerDrivingHour'), (r) => ` (${r} per driving hour lately)`) +
        '.',
      action: 'Have the coolant level, fan and radiator checked before it overheats.',
    };
  },
  COOLANT_SENSOR_STUCK: (i) => ({
    headline: 'Coolant temperature sensor may be faulty',
    why: `Its reading did not change for ${i.params.num('hours') ?? '?'} hours of driving.`,
    action: 'Have the sensor and its wiring checked at your next visit.',
  }),
  FUEL_ECONOMY_DEGRADED: (i) => ({
    headline: 'Fuel consumption has gone up',
    why:
      `The car uses about ${Math.round(i.params.num('degradationPct') ?? 0)} % more fuel than it used to for the same kind of driving` +
      opt(i.params.num('daysToTarget'), (d) => `, and it keeps rising (about ${d} days to the next threshold)`) +
      '.',
    action: 'Have it checked: common causes are a clogged air filter, worn spark plugs, a faulty sensor, low tyre pressure or dragging brakes.',
  }),
  FUEL_RATE_SENSOR_STUCK: () => ({
    headline: 'Fuel consumption reading is stuck',
    why: 'The fuel consumption reading stayed exactly the same for an hour or more while driving.',
    action: 'Have the device or the sensor checked at your next visit.',
  }),
  BATTERY_LOW_CHARGE: (i) => ({
    headline: 'Battery charge is low',
    why:
      `With the engine off the battery shows ${i.params.num('restingV') ?? '?'} V; a healthy battery shows 12.3 V or more` +
      opt(i.params.num('daysToLow'), (d) => `, and it is dropping (about ${d} days to the critical level)`) +
      '.',
    action: 'Have the battery tested: it may fail to start the car, especially in cold weather.',
  }),
  BATTERY_WEAK_CRANKING: (i) => ({
    headline: 'Battery is getting weak',
    why:
      `While starting the engine the voltage falls to ${i.params.num('crankV') ?? '?'} V` +
      opt(i.params.num('baselineCrankV'), (b) => ` (it used to fall to ${b} V)`) +
      '.',
    action: 'Have the battery tested or replaced before it fails to start the car.',
  }),
  CHARGING_VOLTAGE_LOW: (i) => ({
    headline: 'Battery is not charging properly',
    why: `With the engine running the battery gets only ${i.params.num('chargingV') ?? '?'} V (13.5-14.8 V is normal).`,
    action: 'Have the alternator and charging system checked.',
  }),
  CHARGING_VOLTAGE_HIGH: (i) => ({
    headline: 'Battery is being overcharged',
    why: `With the engine running the battery gets ${i.params.num('chargingV') ?? '?'} V, more than the normal 14.8 V.`,
    action: 'Have the voltage regulator checked: overcharging damages the battery and electronics.',
  }),
  BATTERY_SENSOR_STUCK: () => ({
    headline: 'Battery voltage reading is stuck',
    why: 'The battery voltage reading did not change for hours.',
    action: 'Have the device checked at your next visit.',
  }),
  DTC_ACTIVE: (i) => {
    const dtc = i.params.str('dtc') ?? i.subject;
    return {
      headline: `Trouble code ${dtc} is active`,
      why: `The car reports ${dtc}: ${i.params.str('title') ?? 'a fault'}${opt(i.params.num('daysSeen'), (d) => `, seen on ${d} day(s)`)}.`,
      action:
        i.risk === 'CRITICAL' || i.risk === 'URGENT' ? 'Have the car diagnosed as soon as possible.' : 'Have it diagnosed at your next service.',
    };
  },
  DTC_INTERMITTENT: (i) => {
    const dtc = i.params.str('dtc') ?? i.subject;
    return {
      headline: `Trouble code ${dtc} comes and goes`,
      why: `The car reported ${dtc} (${i.params.str('title') ?? 'a fault'}) on ${i.params.num('daysSeen') ?? '?'} day(s); it is not active now.`,
      action: 'Intermittent faults often return: mention it at your next service.',
    };
  },
  SERVICE_DUE: (i) => {
    const p = i.params;
    const item = SERVICE_ITEMS[p.str('item') ?? i.subject] ?? 'Scheduled service';
    const remainingKm = p.num('remainingKm');
    const daysLeft = p.num('daysLeft');
    const overdue = (remainingKm !== undefined && remainingKm < 0) || (daysLeft !== undefined && daysLeft < 0);
    const parts = [
      remainingKm === undefined ? undefined : remainingKm < 0 ? `${km(-remainingKm)} overdue` : `${km(remainingKm)} to go`,
      daysLeft === undefined ? undefined : daysLeft < 0 ? `${-daysLeft} days overdue` : `about ${daysLeft} days left`,
    ].filter((x) => x !== undefined);
    return {
      headline: overdue ? `${item} is overdue` : `${item} is due`,
      why:
        `Counted from the last one on ${p.str('lastDoneAt') ?? '?'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.` +
        (p.str('baselineAssumed') === 'yes' ? ' We have no record of it, so we count from when we first saw the car.' : ''),
      action: overdue ? 'Book the service now.' : 'Book the service with your service center.',
    };
  },
};
