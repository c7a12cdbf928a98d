import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ErrorResponseBody } from '../common/domain-exception.filter.js';
import { AppointmentNotFoundError } from '../appointments/appointment-not-found.error.js';
import { InvalidAppointmentTransitionError } from '../appointments/appointment-state.policy.js';
import { PushSubscriptionNotFoundError } from '../push-subscriptions/push-subscription-not-found.error.js';
import { InvalidReminderDateError, InvalidReminderTransitionError } from './reminder-state.policy.js';
import { ReminderNotFoundError } from './reminder-not-found.error.js';

type ErrorClass = abstract new (...args: never[]) => Error;

const STATUS_BY_ERROR: ReadonlyArray<readonly [ErrorClass, HttpStatus]> = [
  [ReminderNotFoundError, HttpStatus.NOT_FOUND],
  [AppointmentNotFoundError, HttpStatus.NOT_FOUND],
  [PushSubscriptionNotFoundError, HttpStatus.NOT_FOUND],
  [InvalidReminderTransitionError, HttpStatus.CONFLICT],
  [InvalidAppointmentTransitionError, HttpStatus.CONFLICT],
  [InvalidReminderDateError, HttpStatus.BAD_REQUEST],
];

/**
 * The reminder features' domain errors as HTTP, in the same body shape as DomainExceptionFilter.
 * Bound with @UseFilters on these controllers only because the global table lives in common/, which
 * this feature does not own; these rows belong in that table (then this filter can go).
 */
@Catch(...STATUS_BY_ERROR.map(([errorClass]) => errorClass))
export class ReminderDomainErrorFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: Error, host: ArgumentsHost): void {
    const statusCode = STATUS_BY_ERROR.find(([errorClass]) => exception instanceof errorClass)?.[1] ?? HttpStatus.INTERNAL_SERVER_ERROR;
    const body: ErrorResponseBody = { statusCode, error: exception.name, message: exception.message };
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, statusCode);
  }
}
