import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InsufficientRoleError, InvalidAccessTokenError } from '#app/auth';
import { AppointmentNotFoundError } from '../appointments/appointment-not-found.error.js';
import { InvalidAppointmentTransitionError } from '../appointments/appointment-state.policy.js';
import { InvalidCredentialsError } from '../auth/invalid-credentials.error.js';
import { WrongCurrentPasswordError } from '../auth/wrong-current-password.error.js';
import { BrokerNotUpdatedError } from '../devices/broker-not-updated.error.js';
import { DeviceNotFoundError } from '../devices/device-not-found.error.js';
import { DuplicateDeviceSerialError } from '../devices/duplicate-device-serial.error.js';
import { TooManyRequestsError } from '../rate-limit/too-many-requests.error.js';
import { PushSubscriptionNotFoundError } from '../push-subscriptions/push-subscription-not-found.error.js';
import { ReminderNotFoundError } from '../reminders/reminder-not-found.error.js';
import { InvalidReminderDateError, InvalidReminderTransitionError } from '../reminders/reminder-state.policy.js';
import { DuplicateVinError } from '../vehicles/duplicate-vin.error.js';
import { OwnerEmailConflictError } from '../vehicles/owner-email-conflict.error.js';
import { VehicleNotFoundError } from '../vehicles/vehicle-not-found.error.js';
import { MissingServiceCenterError } from './missing-service-center.error.js';
import { RequestValidationError } from './request-validation.error.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The one place where domain failures become HTTP statuses. Add new domain errors here. */
const STATUS_BY_ERROR: readonly (readonly [ErrorClass, HttpStatus])[] = [
  [RequestValidationError, HttpStatus.BAD_REQUEST],
  [InvalidCredentialsError, HttpStatus.UNAUTHORIZED],
  [WrongCurrentPasswordError, HttpStatus.FORBIDDEN],
  [InvalidAccessTokenError, HttpStatus.UNAUTHORIZED],
  [InsufficientRoleError, HttpStatus.FORBIDDEN],
  [MissingServiceCenterError, HttpStatus.FORBIDDEN],
  [VehicleNotFoundError, HttpStatus.NOT_FOUND],
  [DuplicateVinError, HttpStatus.CONFLICT],
  [OwnerEmailConflictError, HttpStatus.CONFLICT],
  [ReminderNotFoundError, HttpStatus.NOT_FOUND],
  [AppointmentNotFoundError, HttpStatus.NOT_FOUND],
  [PushSubscriptionNotFoundError, HttpStatus.NOT_FOUND],
  [InvalidReminderTransitionError, HttpStatus.CONFLICT],
  [InvalidAppointmentTransitionError, HttpStatus.CONFLICT],
  [InvalidReminderDateError, HttpStatus.BAD_REQUEST],
  [DeviceNotFoundError, HttpStatus.NOT_FOUND],
  [DuplicateDeviceSerialError, HttpStatus.CONFLICT],
  [BrokerNotUpdatedError, HttpStatus.SERVICE_UNAVAILABLE],
  [TooManyRequestsError, HttpStatus.TOO_MANY_REQUESTS],
];

export interface ErrorResponseBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: { path: string; message: string }[];
}

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const body = this.toBody(exception);
    const response: unknown = host.switchToHttp().getResponse();
    if (exception instanceof TooManyRequestsError) httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorResponseBody {
    if (exception instanceof HttpException) {
      // Nest's own (unknown route, malformed JSON body): keep its status and message.
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? String((response).message)
          : exception.message;
      return { statusCode: exception.getStatus(), error: exception.name, message };
    }
    if (exception instanceof Error) {
      const mapped = STATUS_BY_ERROR.find(([errorClass]) => exception instanceof errorClass);
      if (mapped) {
        const body: ErrorResponseBody = { statusCode: mapped[1], error: exception.name, message: exception.message };
        if (exception instanceof RequestValidationError) body.issues = exception.issues;
        return body;
      }
    }
    // Anything else is a bug or an outage: log it whole, tell the client nothing internal.
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'InternalServerError', message: 'Internal server error' };
  }
}
