// Owner-readable meanings of the most common OBD-II trouble codes (SAE J2012 generic codes), with how
// urgent each is. Severity follows what happens if the owner keeps driving: misfires ruin the catalytic
// converter within days (URGENT), overheating or no oil pressure destroys the engine (CRITICAL), an EVAP
// leak only raises emissions (WATCH). Codes not listed get a generic text by their letter and digit.
import type { Risk } from '../maintenance-model.js';

export interface DtcMeaning {
  risk: Risk;
  /** What it is, in plain words. */
  title: string;
  /** What to do. */
  advice: string;
}

const misfire = (cylinder: string): DtcMeaning => ({
  risk: 'URGENT',
  title: `Engine misfire${cylinder}`,
  advice:
    'Drive gently and have it repaired within days: unburnt fuel can overheat and ruin the catalytic converter. If the engine light flashes, stop driving.',
});

const lean = (bank: string): DtcMeaning => ({
  risk: 'SOON',
  title: `Engine running lean (too much air)${bank}`,
  advice: 'Often a vacuum leak, a dirty air-flow sensor or a weak fuel pump. Have it checked soon: a lean engine runs hot and can misfire.',
});

const rich = (bank: string): DtcMeaning => ({
  risk: 'SOON',
  title: `Engine running rich (too much fuel)${bank}`,
  advice: 'Raises fuel use and can damage the catalytic converter. Have it checked soon.',
});

const evap = (what: string): DtcMeaning => ({
  risk: 'WATCH',
  title: `Fuel vapour system leak (${what})`,
  advice: 'Check that the fuel cap is tight. Not urgent, but it raises emissions and may fail an inspection.',
});

const CATALOG: Record<string, DtcMeaning> = {
  P0087: {
    risk: 'URGENT',
    title: 'Fuel pressure too low',
    advice: 'The engine may lose power or stall. Have the fuel pump and filter checked promptly.',
  },
  P0101: {
    risk: 'SOON',
    title: 'Air-flow sensor reading out of range',
    advice: 'Fuel use and performance suffer. Often fixed by cleaning or replacing the sensor.',
  },
  P0113: {
    risk: 'WATCH',
    title: 'Intake air temperature sensor reading high',
    advice: 'Usually a sensor or wiring fault; have it checked at the next service.',
  },
  P0117: {
    risk: 'SOON',
    title: 'Coolant temperature sensor reading low',
    advice: 'The engine cannot tell its temperature: the fan and fuel mixture may misbehave. Have the sensor checked soon.',
  },
  P0118: {
    risk: 'SOON',
    title: 'Coolant temperature sensor reading high',
    advice: 'The engine cannot tell its temperature: the fan and fuel mixture may misbehave. Have the sensor checked soon.',
  },
  P0128: {
    risk: 'SOON',
    title: 'Engine not reaching operating temperature (thermostat)',
    advice: 'The thermostat is probably stuck open: more fuel use, poor heating, more engine wear. Have it replaced.',
  },
  P0131: {
    risk: 'WATCH',
    title: 'Oxygen sensor voltage low',
    advice: 'Fuel use and emissions may rise. Have the sensor checked at the next service.',
  },
  P0133: {
    risk: 'WATCH',
    title: 'Oxygen sensor responding slowly',
    advice: 'An ageing oxygen sensor; fuel use may rise. Replace it at the next service.',
  },
  P0135: { risk: 'WATCH', title: 'Oxygen sensor heater fault', advice: 'Emissions rise after a cold start. Replace the sensor at the next service.' },
  P0171: lean(', bank 1'),
  P0172: rich(', bank 1'),
  P0174: lean(', bank 2'),
  P0175: rich(', bank 2'),
  P0217: {
    risk: 'CRITICAL',
    title: 'Engine overheating',
    advice: 'Stop as soon as it is safe and switch the engine off. Driving on can destroy the engine. Call a workshop.',
  },
  P0219: { risk: 'SOON', title: 'Engine over-revved', advice: 'The engine exceeded its speed limit. Have it inspected for damage.' },
  P0299: { risk: 'SOON', title: 'Turbocharger boost too low', advice: 'Loss of power; often a leaking hose or a worn turbo. Have it checked soon.' },
  P0300: misfire('s in several cylinders'),
  P0301: misfire(' in cylinder 1'),
  P0302: misfire(' in cylinder 2'),
  P0303: misfire(' in cylinder 3'),
  P0304: misfire(' in cylinder 4'),
  P0305: misfire(' in cylinder 5'),
  P0306: misfire(' in cylinder 6'),
  P0325: { risk: 'SOON', title: 'Knock sensor fault', advice: 'The engine protects itself by reducing power. Have the sensor checked soon.' },
  P0335: { risk: 'URGENT', title: 'Crankshaft position sensor fault', advice: 'The engine may stall or fail to start. Have it repaired promptly.' },
  P0340: { risk: 'SOON', title: 'Camshaft position sensor fault', advice: 'Hard starting and stalling are possible. Have it checked soon.' },
  P0401: {
    risk: 'WATCH',
    title: 'Exhaust gas recirculation flow too low',
    advice: 'Usually a clogged EGR valve; emissions and knocking may rise. Have it cleaned at the next service.',
  },
  P0420: {
    risk: 'WATCH',
    title: 'Catalytic converter efficiency low (bank 1)',
    advice: 'Emissions are higher than they should be and the car may fail inspection. Have it checked; fix any misfire first.',
  },
  P0430: {
    risk: 'WATCH',
    title: 'Catalytic converter efficiency low (bank 2)',
    advice: 'Emissions are higher than they should be and the car may fail inspection. Have it checked; fix any misfire first.',
  },
  P0440: evap('system fault'),
  P0442: evap('small leak'),
  P0446: evap('vent control'),
  P0455: evap('large leak'),
  P0456: evap('very small leak'),
  P0500: { risk: 'SOON', title: 'Vehicle speed sensor fault', advice: 'The speedometer, ABS and gear shifts may be affected. Have it checked soon.' },
  P0505: {
    risk: 'WATCH',
    title: 'Idle speed control fault',
    advice: 'Idle may be rough or the engine may stall at stops. Have the throttle body cleaned or checked.',
  },
  P0507: {
    risk: 'WATCH',
    title: 'Idle speed higher than expected',
    advice: 'Often a vacuum leak or a dirty throttle body. Have it checked at the next service.',
  },
  P0524: {
    risk: 'CRITICAL',
    title: 'Engine oil pressure too low',
    advice: 'Stop as soon as it is safe and switch the engine off; check the oil level. Driving without oil pressure destroys the engine.',
  },
  P0562: {
    risk: 'SOON',
    title: 'System voltage low',
    advice: 'The battery or alternator is weak: the car may not start. Have the charging system tested.',
  },
  P0563: {
    risk: 'SOON',
    title: 'System voltage high',
    advice: 'The alternator is overcharging, which damages the battery and electronics. Have it checked soon.',
  },
  P0571: { risk: 'WATCH', title: 'Brake switch fault', advice: 'Cruise control may not work and brake lights may be affected. Have it checked.' },
  P0606: {
    risk: 'URGENT',
    title: 'Engine control unit internal fault',
    advice: 'The engine computer reports a fault: the car may stall or not start. Have it diagnosed promptly.',
  },
  P0700: {
    risk: 'SOON',
    title: 'Transmission control fault',
    advice: 'The gearbox computer stored a fault; shifting may become harsh or limited. Have the transmission diagnosed soon.',
  },
  P0705: { risk: 'SOON', title: 'Transmission range sensor fault', advice: 'The car may not know which gear is selected. Have it checked soon.' },
  P0730: {
    risk: 'SOON',
    title: 'Incorrect gear ratio',
    advice: 'The gearbox is slipping or low on fluid. Have it checked soon to avoid a costly repair.',
  },
};

const BY_LETTER: Record<string, { risk: Risk; system: string }> = {
  P: { risk: 'WATCH', system: 'engine or transmission' },
  C: { risk: 'SOON', system: 'chassis (brakes, steering or suspension)' },
  B: { risk: 'WATCH', system: 'body (airbags, seats, lights or climate)' },
  U: { risk: 'WATCH', system: 'on-board network between control units' },
};

export const DTC_PATTERN = /^[PCBU][0-3][0-9A-F]{3}$/;

/** The meaning of `code` (already upper-case and valid), from the table or generic by letter and digit. */
export function describeDtc(code: string): DtcMeaning & { known: boolean } {
  const known = CATALOG[code];
  if (known) return { ...known, known: true };
  const generic = BY_LETTER[code[0]];
  const manufacturer = code[1] === '1' || code[1] === '3';
  return {
    risk: generic.risk,
    title: `${manufacturer ? 'Manufacturer-specific' : 'Generic'} ${generic.system} fault (${code})`,
    advice: 'Have a workshop read the code with the manufacturer’s tools to see what it means for this car.',
    known: false,
  };
}

export const KNOWN_DTC_COUNT = Object.keys(CATALOG).length;
