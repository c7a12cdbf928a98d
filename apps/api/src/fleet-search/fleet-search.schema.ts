import { z } from 'zod';
import { COMPONENTS, RISKS } from '#app/maintenance/vocabulary';
import { text } from '../common/text.schema.js';
import { DEVICE_STATES } from '../device-status/device-status.model.js';
import { decodeCursor, FLEET_SORTS } from './fleet-search.model.js';

/** The filters and order the list and its CSV export share. */
const viewShape = {
  q: text()
    .trim()
    .max(64)
    .optional()
    .describe('VIN or plate prefix, owner name (prefix of any word) or phone digits (anywhere in the number); case-insensitive'),
  risk: z.enum(RISKS).optional().describe("Cars whose overall risk (the worst component's, from the latest prediction) is this or worse"),
  component: z.enum(COMPONENTS).optional().describe('Cars whose prediction for this component is at `componentRisk` or worse'),
  componentRisk: z.enum(RISKS).default('WATCH').describe('The risk `component` filters on (default WATCH: anything but OK)'),
  device: z.enum(DEVICE_STATES).optional().describe('Cars whose device is in this state (see GET /vehicles/device-status)'),
  sort: z
    .enum(FLEET_SORTS)
    .default('risk')
    .describe('risk: worst first; vin: A to Z; owner: owner name A to Z; lastTelemetry: newest first, never-reported last'),
};

/** The query as sent (documented in OpenAPI); fleetSearchQuerySchema also decodes the cursor. */
export const fleetSearchParamsSchema = z.object({
  ...viewShape,
  cursor: text().max(400).optional().describe("The previous page's `nextCursor`, with the same `sort`"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const fleetSearchQuerySchema = fleetSearchParamsSchema.transform((query, context) => {
  if (query.cursor === undefined) return { ...query, cursor: undefined };
  const cursor = decodeCursor(query.cursor);
  if (cursor === null) {
    context.addIssue({ code: 'custom', path: ['cursor'], message: 'not a cursor this API gave out' });
    return z.NEVER;
  }
  if (cursor.sort !== query.sort) {
    context.addIssue({ code: 'custom', path: ['cursor'], message: `belongs to sort=${cursor.sort}, not sort=${query.sort}` });
    return z.NEVER;
  }
  return { ...query, cursor };
});

export const fleetExportQuerySchema = z.object(viewShape);

export type FleetSearchQuery = z.output<typeof fleetSearchQuerySchema>;
export type FleetExportQuery = z.output<typeof fleetExportQuerySchema>;
