import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, type DomainErrorKind } from '#app/errors';

/** The one place where a kind of domain failure becomes an HTTP status. */
const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, HttpStatus>> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

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
    if (exception instanceof DomainError) {
      for (const [name, value] of Object.entries(exception.headers())) httpAdapter.setHeader(response, name, value);
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorResponseBody {
    if (exception instanceof HttpException) {
      // Nest's own (unknown route, malformed JSON body): keep its status and message.
      const response = exception.getResponse();
      const message = typeof response === 'object' && response !== null && 'message' in response ? String(response.message) : exception.message;
      return { statusCode: exception.getStatus(), error: exception.name, message };
    }
    if (exception instanceof DomainError) {
      return { statusCode: STATUS_BY_KIND[exception.kind], error: exception.name, message: exception.message, ...exception.details() };
    }
    // Anything else is a bug or an outage: log it whole, tell the client nothing internal.
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'InternalServerError', message: 'Internal server error' };
  }
}
