import { COMPONENTS, RISKS } from '#app/maintenance';
import { z } from 'zod';

export const MAX_CHART_DAYS = 365;

/** The query as sent (documented in OpenAPI). */
export const vehicleChartsQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CHART_DAYS)
    .default(90)
    .describe(`Days back from now (1-${String(MAX_CHART_DAYS)}, default 90)`),
});

export type VehicleChartsQuery = z.output<typeof vehicleChartsQuerySchema>;

// The answer's shape, written once: it documents the endpoint in OpenAPI (@ApiOkResponse) and types the code.

const day = z.string().describe('UTC day, YYYY-MM-DD');
const dayPoint = z.tuple([day, z.number()]);

/** A series of one quantity: every value has the unit named next to it. */
const daySeries = z.object({ unit: z.string(), points: z.array(dayPoint).describe('Oldest first, one point per UTC day with data') });

const wheelSchema = z.enum(['FL', 'FR', 'RL', 'RR']);

export const vehicleChartsSchema = z.object({
  vin: z.string(),
  days: z.number().int(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  coolant: z.object({
    warmDaily: daySeries.describe('Median coolant temperature of warm, moving 30-second averages per day'),
    baselineC: z.number().nullable().describe("The car's own warm temperature (engine-cooling model baseline), °C"),
    dangerC: z.number().describe('Danger line, °C'),
    forecast: z
      .object({
        expectedAt: z.iso.datetime(),
        earliestAt: z.iso.datetime(),
        latestAt: z.iso.datetime(),
        level: z.number().nullable().describe('Interval level 0-1, when the model gives one'),
      })
      .nullable()
      .describe('When the warm temperature trend reaches the danger line, with its interval'),
    method: z.string(),
  }),
  overheat: z.object({
    thresholdC: z.number(),
    episodesDaily: daySeries.describe('Overheating episodes started per day (days without one are 0)'),
  }),
  tires: z.object({
    treadUnit: z.literal('mm'),
    odometerUnit: z.literal('km'),
    limitsMm: z.object({ recommended: z.number(), legal: z.number() }),
    pressureUnit: z.literal('kPa'),
    pressureBucketHours: z.number().int(),
    pressureTemperatureCorrected: z.boolean(),
    pressureNote: z.string(),
    wheels: z.array(
      z.object({
        position: wheelSchema,
        tread: z.array(z.tuple([z.number(), z.number()])).describe('[odometer km, tread mm], daily medians of device readings'),
        inspections: z.array(z.tuple([z.number(), z.number()])).describe('[odometer km, tread mm] measured at a service'),
        projection: z
          .array(z.tuple([z.number(), z.number()]))
          .nullable()
          .describe('[odometer km, tread mm]: the tyre model forecast from now to 3.0 and 1.6 mm'),
        pressure: z.array(z.tuple([z.iso.datetime(), z.number()])).describe('[bucket start, median kPa]'),
        leak: z.object({ code: z.string(), risk: z.enum(RISKS), message: z.string() }).nullable(),
      }),
    ),
  }),
  fuel: z.object({
    daily: daySeries.describe("Fuel used as % of the car's own expectation for the same driving (100 % = as usual)"),
    degradation: z.object({ pct: z.number(), low90: z.number(), high90: z.number() }).nullable(),
    method: z.string(),
  }),
  battery: z.object({
    resting: daySeries.describe('Median resting voltage per day (engine off, ignition on)'),
    cranking: daySeries.describe('Lowest voltage while starting the engine per day'),
    method: z.string(),
  }),
  health: z.object({
    unit: z.literal('score 0-100'),
    components: z.array(
      z.object({
        component: z.enum(COMPONENTS),
        risk: z.enum(RISKS).nullable(),
        points: z.array(dayPoint).describe('Lowest health score of each day with a score'),
      }),
    ),
  }),
});

export type VehicleChartsView = z.output<typeof vehicleChartsSchema>;
export type DaySeries = z.output<typeof daySeries>;
export type WheelChartView = VehicleChartsView['tires']['wheels'][number];

export const fleetRiskSchema = z.object({
  generatedAt: z.iso.datetime(),
  unit: z.literal('vehicles'),
  components: z.array(
    z.object({
      component: z.enum(COMPONENTS),
      byRisk: z.record(z.enum(RISKS), z.number().int()).describe('Vehicles of the center per current risk of this component'),
    }),
  ),
});

export type FleetRiskView = z.output<typeof fleetRiskSchema>;
