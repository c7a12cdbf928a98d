import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody, ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { AppointmentActionResult, AppointmentView } from './appointment.model.js';
import {
  appointmentIdSchema,
  type CancelAppointmentRequest,
  cancelAppointmentSchema,
  type CompleteAppointmentRequest,
  completeAppointmentSchema,
  type ConfirmAppointmentRequest,
  confirmAppointmentSchema,
  type DeclineAppointmentRequest,
  declineAppointmentSchema,
  type ListAppointmentsQuery,
  listAppointmentsQuerySchema,
  type RescheduleAppointmentRequest,
  rescheduleAppointmentSchema,
} from './appointment.schema.js';
import { AppointmentsService } from './appointments.service.js';

const idPipe = new ZodValidationPipe(appointmentIdSchema);

@ApiTags('appointments')
@ApiBearerAuth()
@Controller()
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('me/appointments')
  @Roles('OWNER')
  @ApiOperation({ summary: "The owner's appointment requests, soonest preferred time first" })
  @ApiZodQuery(listAppointmentsQuerySchema)
  mine(
    @CurrentUser() user: RequestUser,
    @Query(new ZodValidationPipe(listAppointmentsQuerySchema)) query: ListAppointmentsQuery,
  ): Promise<AppointmentView[]> {
    return this.appointments.listMine(user, query);
  }

  @Get('appointments')
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: "The caller's service center's appointments; from/to select a day or week by slot (scheduled, else preferred time)" })
  @ApiZodQuery(listAppointmentsQuerySchema)
  forCenter(
    @CurrentUser() user: RequestUser,
    @Query(new ZodValidationPipe(listAppointmentsQuerySchema)) query: ListAppointmentsQuery,
  ): Promise<AppointmentView[]> {
    return this.appointments.listForCenter(user, query);
  }

  @Post('appointments/:id/confirm')
  @HttpCode(200)
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: 'Confirm (or reschedule) a requested appointment' })
  @ApiZodBody(confirmAppointmentSchema)
  confirm(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(confirmAppointmentSchema)) body: ConfirmAppointmentRequest,
  ): Promise<AppointmentActionResult> {
    return this.appointments.act(user, id, { kind: 'confirm', ...body });
  }

  @Post('appointments/:id/reschedule')
  @HttpCode(200)
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: 'Move a confirmed appointment to a new time (409 for one not confirmed: confirm it instead)' })
  @ApiZodBody(rescheduleAppointmentSchema)
  reschedule(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(rescheduleAppointmentSchema)) body: RescheduleAppointmentRequest,
  ): Promise<AppointmentActionResult> {
    return this.appointments.act(user, id, { kind: 'reschedule', ...body });
  }

  @Post('appointments/:id/decline')
  @HttpCode(200)
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: 'Decline an appointment; its reminder is open (and notified) again' })
  @ApiZodBody(declineAppointmentSchema)
  decline(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(declineAppointmentSchema)) body: DeclineAppointmentRequest,
  ): Promise<AppointmentActionResult> {
    return this.appointments.act(user, id, { kind: 'decline', ...body });
  }

  @Post('appointments/:id/complete')
  @HttpCode(200)
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({
    summary: 'The work was done: records it as a service record (serviceKind, else the open reminder’s own work) and rescores the car',
    description:
      'An open reminder is closed as DONE with the record. Without an open reminder serviceKind is required (400); ' +
      'a reminder the owner already marked done keeps its record and none is added.',
  })
  @ApiZodBody(completeAppointmentSchema)
  complete(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(completeAppointmentSchema)) body: CompleteAppointmentRequest,
  ): Promise<AppointmentActionResult> {
    return this.appointments.act(user, id, { kind: 'complete', ...body });
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a requested or confirmed appointment (its owner, or staff of its center); a booked reminder keeps reminding',
  })
  @ApiZodBody(cancelAppointmentSchema)
  cancel(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(cancelAppointmentSchema)) body: CancelAppointmentRequest,
  ): Promise<AppointmentActionResult> {
    return this.appointments.act(user, id, { kind: 'cancel', ...body });
  }
}
