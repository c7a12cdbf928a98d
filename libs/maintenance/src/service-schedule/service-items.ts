// What gets serviced and how often. Typical manufacturer intervals; the oil interval comes from the
// vehicle's own profile. A record of any `resetBy` kind counts as the item done.
import type { ServiceKind, VehicleProfile } from '../maintenance-model.js';

export interface ServiceItem {
  /** Finding subject, stable: reminders are deduplicated on it. */
  id: string;
  /** For owners: "Oil service is due...". */
  name: string;
  resetBy: readonly ServiceKind[];
  intervalKm?: number;
  intervalMonths?: number;
}

const COMBUSTION: readonly VehicleProfile['fuelType'][] = ['PETROL', 'DIESEL', 'HYBRID', 'LPG'];

export function serviceItemsFor(profile: VehicleProfile): ServiceItem[] {
  const combustion = COMBUSTION.includes(profile.fuelType);
  return [
    ...(combustion
      ? [
          {
            id: 'oil',
            name: 'Oil service',
            resetBy: ['OIL_CHANGE'],
            intervalKm: profile.oilServiceIntervalKm,
            intervalMonths: profile.oilServiceIntervalMonths,
          } satisfies ServiceItem,
          { id: 'air-filter', name: 'Air filter replacement', resetBy: ['AIR_FILTER'], intervalKm: 20_000 } satisfies ServiceItem,
        ]
      : []),
    // There is no separate brake-fluid record kind: a brake service is taken to include the fluid.
    { id: 'brake-fluid', name: 'Brake fluid change', resetBy: ['BRAKE_SERVICE'], intervalMonths: 24 },
    { id: 'coolant', name: 'Coolant change', resetBy: ['COOLANT_SERVICE'], intervalKm: 100_000, intervalMonths: 60 },
    // A full set of new tyres starts the rotation count over as well.
    { id: 'tire-rotation', name: 'Tyre rotation', resetBy: ['TIRE_ROTATION', 'TIRE_REPLACEMENT'], intervalKm: 10_000 },
    { id: 'inspection', name: 'General inspection', resetBy: ['GENERAL_INSPECTION'], intervalMonths: 12 },
  ];
}
