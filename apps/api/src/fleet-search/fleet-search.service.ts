import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { type CenterScope, scopeOf } from '../common/vehicle-scope.model.js';
import { deviceStatusView } from '../device-status/device-state.policy.js';
import { csvLine } from './csv.js';
import { encodeCursor, type FleetCursor, type FleetPageView, type FleetVehicleView } from './fleet-search.model.js';
import { type FleetFilters, type FleetRow, FleetSearchRepository } from './fleet-search.repository.js';
import type { FleetExportQuery, FleetSearchQuery } from './fleet-search.schema.js';

/** At most this many rows in one export: a center's whole fleet, and a bound on what one request costs. */
export const EXPORT_MAX_ROWS = 10_000;
/** The export reads in keyset pages of this size, so memory stays flat however many rows it writes. */
const EXPORT_PAGE = 500;

/** An export: its rows, and whether the view had more than the limit (the API says so in X-Truncated). */
export interface FleetExport {
  truncated: boolean;
  maxRows: number;
  lines: AsyncGenerator<string>;
}

const CSV_HEADER = [
  'VIN',
  'Plate',
  'Make',
  'Model',
  'Year',
  'Owner',
  'Phone',
  'E-mail',
  'Risk',
  'Worst components',
  'Device',
  'Odometer (km)',
  'Last telemetry (UTC)',
];

@Injectable()
export class FleetSearchService {
  constructor(private readonly repository: FleetSearchRepository) {}

  async search(user: RequestUser, query: FleetSearchQuery, now = new Date()): Promise<FleetPageView> {
    // One more than the page: its presence says whether there is a next page.
    const rows = await this.repository.page(centerScopeOf(user), query, query.cursor, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => viewOf(row, now)),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(cursorAfter(query, last)) : null,
    };
  }

  /**
   * The CSV of the filtered, sorted view from its start, at most EXPORT_MAX_ROWS rows, and whether the view has more
   * (counted first, so the answer can say so in a header before the rows stream).
   */
  async exportCsv(user: RequestUser, query: FleetExportQuery, now = new Date()): Promise<FleetExport> {
    const scope = centerScopeOf(user);
    const truncated = (await this.repository.countUpTo(scope, query, EXPORT_MAX_ROWS + 1)) > EXPORT_MAX_ROWS;
    return { truncated, maxRows: EXPORT_MAX_ROWS, lines: this.csvLines(scope, query, now) };
  }

  /** Streamed page by page, so memory stays flat however many rows it writes. */
  private async *csvLines(scope: CenterScope, query: FleetExportQuery, now: Date): AsyncGenerator<string> {
    // A byte-order mark, so Excel reads the UTF-8 (Chinese names and plates) as UTF-8.
    yield `\uFEFF${csvLine(CSV_HEADER)}`;
    let cursor: FleetCursor | undefined;
    let written = 0;
    while (written < EXPORT_MAX_ROWS) {
      const rows = await this.repository.page(scope, query, cursor, Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - written));
      if (rows.length === 0) return;
      yield rows.map((row) => csvLine(csvCells(viewOf(row, now)))).join('');
      written += rows.length;
      const last = rows.at(-1);
      if (last === undefined || rows.length < EXPORT_PAGE) return;
      cursor = cursorAfter(query, last);
    }
  }
}

function cursorAfter(filters: FleetFilters, row: FleetRow): FleetCursor {
  return { sort: filters.sort, key: row.sortKey, id: row.id };
}

function viewOf(row: FleetRow, now: Date): FleetVehicleView {
  const device = deviceStatusView(
    {
      vin: row.vin,
      lastTelemetryAt: row.lastTelemetryAt,
      state: row.deviceState,
      offlineReason: row.offlineReason,
      connectedAt: row.connectedAt,
      disconnectedAt: row.disconnectedAt,
      firmware: row.firmware,
      rejectedCount: null,
      rejectedReason: null,
      rejectedDetail: null,
      rejectedAt: null,
    },
    now,
  );
  return {
    vin: row.vin,
    make: row.make,
    model: row.model,
    year: row.year,
    plate: row.plate,
    owner: { name: row.ownerName, phone: row.ownerPhone, email: row.ownerEmail },
    risk: row.risk,
    worstComponents: row.worstComponents,
    device: { state: device.state, since: device.since },
    odometerKm: row.odometerKm,
    lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
  };
}

function csvCells(view: FleetVehicleView): (string | number | null)[] {
  return [
    view.vin,
    view.plate,
    view.make,
    view.model,
    view.year,
    view.owner.name,
    view.owner.phone,
    view.owner.email,
    view.risk ?? 'NOT_SCORED',
    view.worstComponents.join(' '),
    view.device.state,
    view.odometerKm === null ? null : Math.round(view.odometerKm),
    view.lastTelemetryAt,
  ];
}

function centerScopeOf(user: RequestUser): CenterScope {
  const scope = scopeOf(user);
  if (scope.kind !== 'center') throw new Error('All vehicles is for staff (enforced by @Roles)');
  return scope;
}
