import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
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
    description: 'Cells a spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiZodQuery(fleetExportQuerySchema)
  exportCsv(@CurrentUser() user: RequestUser, @Query(new ZodValidationPipe(fleetExportQuerySchema)) query: FleetExportQuery): StreamableFile {
    const day = new Date().toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(this.fleet.exportCsv(user, query)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="vehicles-${day}.csv"`,
    });
  }
}
