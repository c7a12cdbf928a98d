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
  @ApiOperation({ summary: "The caller's service center's appointments" })
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
  @ApiOperation({ summary: 'The work was done: closes the reminder with its service record if the owner had not' })
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
