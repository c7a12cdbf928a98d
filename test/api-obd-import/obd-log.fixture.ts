const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Torque Pro's Device Time: `02-Aug-2026 11:34:40.210` (written here in UTC). */
function deviceTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()] ?? ''}-${String(d.getUTCFullYear())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000`;
}

/**
 * A Torque Pro log with one row per `coolant` value (a string puts text in the cell), `stepMs` apart, the first
 * `startMsAgo` before now; rpm, speed and voltage alongside.
 */
export function torqueLog(coolant: readonly (number | string)[], { startMsAgo = 3_600_000, stepMs = 1_000 } = {}): string {
  const start = Date.now() - startMsAgo;
  const rows = coolant.map((c, i) => `-,${deviceTime(start + i * stepMs)},120.3,36.06,${String(800 + i)},${String(c)},${String(20 + (i % 40))},13.9`);
  return [
    'GPS Time, Device Time, Longitude, Latitude,Engine RPM(rpm),Engine Coolant Temperature(°C),Speed (OBD)(km/h),Voltage (Control Module)(V)',
    ...rows,
  ].join('\n');
}
