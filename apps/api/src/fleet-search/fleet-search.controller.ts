import { Readable } from 'node:stream';
import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { FleetPageView } from './fleet-search.model.js';
import {
  type FleetExportQuery,
  fleetExportQuerySchema,
  fleetSearchParamsSchema,
  type FleetSearchQuery,
  fleetSearchQuerySchema,
} from './fleet-search.schema.js';
import { EXPORT_MAX_ROWS, FleetSearchService } from './fleet-search.service.js';

/** The subset of the response object the export uses: its truncation header. */
interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
}

/** Says whether the CSV stopped at the row limit with more cars in the view (set before the rows stream). */
export const TRUNCATED_HEADER = 'X-Truncated';

@ApiTags('dashboard')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('dashboard')
export class FleetSearchController {
  constructor(private readonly fleet: FleetSearchService) {}

  @Get('vehicles')
  @ApiOperation({
    summary: "All of the center's vehicles: search, filter, sort, keyset pages",
    description: 'Each page ends with `nextCursor`; pass it back with the same filters and sort for the next page (null on the last).',
  })
  @ApiZodQuery(fleetSearchParamsSchema)
  search(@CurrentUser() user: RequestUser, @Query(new ZodValidationPipe(fleetSearchQuerySchema)) query: FleetSearchQuery): Promise<FleetPageView> {
    return this.fleet.search(user, query);
  }

  @Get('vehicles.csv')
  @ApiOperation({
    summary: `The same view as CSV (UTF-8 with BOM), from its first row, at most ${String(EXPORT_MAX_ROWS)} rows, streamed`,
    description:
      `Cells a spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe. A view of more than ` +
      `${String(EXPORT_MAX_ROWS)} cars is cut at that row: \`${TRUNCATED_HEADER}: true\` says so (\`false\` when the file ` +
      'holds the whole view); narrow the filters to export the rest.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: {
      [TRUNCATED_HEADER]: {
        description: `true when the view has more than ${String(EXPORT_MAX_ROWS)} cars and the file stops at that many rows`,
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @ApiZodQuery(fleetExportQuerySchema)
  async exportCsv(
    @CurrentUser() user: RequestUser,
    @Query(new ZodValidationPipe(fleetExportQuerySchema)) query: FleetExportQuery,
    @Res({ passthrough: true }) response: HeaderResponse,
  ): Promise<StreamableFile> {
    const day = new Date().toISOString().slice(0, 10);
    const csv = await this.fleet.exportCsv(user, query);
    response.setHeader(TRUNCATED_HEADER, String(csv.truncated));
    return new StreamableFile(Readable.from(csv.lines), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="vehicles-${day}.csv"`,
    });
  }
}
