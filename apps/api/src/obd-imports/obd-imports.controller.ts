import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodQuery, openApiResponseSchema, openApiSchema } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import {
  OBD_LOG_MAX_BYTES,
  type ObdImportFields,
  obdImportFieldsSchema,
  obdImportListSchema,
  type ObdImportListView,
  obdImportResultSchema,
  type ObdImportResultView,
} from './obd-import.schema.js';
import { type MultipartFile, uploadedObdLog } from './obd-log.upload.js';
import { ObdImportsService } from './obd-imports.service.js';

const fields = openApiSchema(obdImportFieldsSchema);

/** OBD-II log uploads; staff and admins of the vehicle's service center only (the rows become its history). */
@ApiTags('obd imports')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('vehicles/:vin/obd-logs')
export class ObdImportsController {
  constructor(private readonly imports: ObdImportsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: OBD_LOG_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary:
      "Import an OBD-II CSV log (Torque Pro, carOBD, cephasax; units in cells or headers) as the car's history, through the device contract; " +
      'the same file twice stores once; the car is rescored. Answers a per-column report.',
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    description:
      'multipart/form-data with the log in `file` and the fields below, or the log itself as a text/csv body with the fields as query parameters',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, ...fields.properties } },
  })
  @ApiZodQuery(obdImportFieldsSchema)
  @ApiCreatedResponse({ schema: openApiResponseSchema(obdImportResultSchema) })
  @ApiResponse({
    status: 400,
    description: 'Not a log we read, a column we map but cannot read (named, with its count: `columns`), or startedAt missing',
  })
  @ApiResponse({ status: 403, description: 'Owners may not upload' })
  @ApiResponse({ status: 404, description: "No such vehicle in the caller's service center" })
  @ApiResponse({ status: 413, description: `Larger than ${String(OBD_LOG_MAX_BYTES / 1024 / 1024)} MiB` })
  @ApiResponse({ status: 415, description: 'Neither multipart/form-data nor text/csv' })
  async upload(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Req() request: IncomingMessage,
    @UploadedFile() file: MultipartFile | undefined,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
  ): Promise<ObdImportResultView> {
    // Multipart fields win over query parameters; a text/csv body has only the query.
    const form = typeof body === 'object' && body !== null ? body : {};
    const options: ObdImportFields = new ZodValidationPipe(obdImportFieldsSchema).transform({ ...query, ...form });
    return this.imports.import(user, vin, await uploadedObdLog(request, file, options.fileName, OBD_LOG_MAX_BYTES), options);
  }

  @Get()
  @ApiOperation({ summary: "The vehicle's OBD log imports, newest first: who, when, which file, what it came to" })
  @ApiOkResponse({ schema: openApiResponseSchema(obdImportListSchema) })
  list(@CurrentUser() user: RequestUser, @Param('vin', new ZodValidationPipe(vinSchema)) vin: string): Promise<ObdImportListView> {
    return this.imports.list(user, vin);
  }
}
