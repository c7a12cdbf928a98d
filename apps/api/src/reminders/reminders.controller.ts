import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody, ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { ReminderActionResult, ReminderList } from './reminder.model.js';
import {
  type BookReminderRequest,
  bookReminderSchema,
  type DoneReminderRequest,
  doneReminderSchema,
  type ListRemindersQuery,
  listRemindersQuerySchema,
  reminderIdSchema,
  type SnoozeReminderRequest,
  snoozeReminderSchema,
} from './reminder.schema.js';
import { RemindersService } from './reminders.service.js';

const idPipe = new ZodValidationPipe(reminderIdSchema);

/**
 * Owners act on their reminders. Staff of the vehicle's center may acknowledge, book and mark done
 * on the owner's behalf (the owner phoned the center, the car is in the workshop); snoozing is the
 * owner's own choice of when to hear again, so it is owner-only.
 */
@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get('me/reminders')
  @Roles('OWNER')
  @ApiOperation({ summary: "The owner's reminders: active first, newest first, rendered in the owner's language" })
  @ApiZodQuery(listRemindersQuerySchema)
  feed(@CurrentUser() user: RequestUser, @Query(new ZodValidationPipe(listRemindersQuerySchema)) query: ListRemindersQuery): Promise<ReminderList> {
    return this.reminders.feed(user, query);
  }

  @Get('vehicles/:vin/reminders')
  @ApiOperation({ summary: "A vehicle's reminders (its owner, or staff of its service center)" })
  @ApiZodQuery(listRemindersQuerySchema)
  forVehicle(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(listRemindersQuerySchema)) query: ListRemindersQuery,
  ): Promise<ReminderList> {
    return this.reminders.forVehicle(user, vin, query);
  }

  @Post('reminders/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seen it: no more repeats (a higher risk is still notified)' })
  acknowledge(@CurrentUser() user: RequestUser, @Param('id', idPipe) id: string): Promise<ReminderActionResult> {
    return this.reminders.act(user, id, { kind: 'acknowledge' });
  }

  @Post('reminders/:id/snooze')
  @HttpCode(200)
  @Roles('OWNER')
  @ApiOperation({ summary: 'Silence the reminder until a time within 90 days' })
  @ApiZodBody(snoozeReminderSchema)
  snooze(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(snoozeReminderSchema)) body: SnoozeReminderRequest,
  ): Promise<ReminderActionResult> {
    return this.reminders.act(user, id, { kind: 'snooze', ...body });
  }

  @Post('reminders/:id/book')
  @HttpCode(200)
  @ApiOperation({ summary: "Request an appointment at the vehicle's service center for this reminder" })
  @ApiZodBody(bookReminderSchema)
  book(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(bookReminderSchema)) body: BookReminderRequest,
  ): Promise<ReminderActionResult> {
    return this.reminders.act(user, id, { kind: 'book', ...body });
  }

  @Post('reminders/:id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'The work was done: records the service that fixes the finding and rescores the vehicle' })
  @ApiZodBody(doneReminderSchema)
  done(
    @CurrentUser() user: RequestUser,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(doneReminderSchema)) body: DoneReminderRequest,
  ): Promise<ReminderActionResult> {
    return this.reminders.act(user, id, { kind: 'done', ...body });
  }
}
