import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthenticationService, InvalidAccessTokenError, Public } from '#app/auth';
import { audiencesOf, InAppEventsService } from './in-app-events.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/events')
export class EventsController {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly events: InAppEventsService,
  ) {}

  /**
   * Public to the global guard because it checks the token itself: browsers' EventSource cannot
   * set an Authorization header, so `?access_token=` is accepted too (it lands in access logs:
   * keep tokens short-lived).
   */
  @Get()
  @Public()
  @ApiOperation({
    summary:
      "Server-Sent Events: the caller's reminder and appointment changes, live (`event: reminder`, `event: appointment`); for staff also their center's customers' (with `data.vin`) and their center's cars' device presence changes (`event: device`, `data`: vin, state, previous, since, firmware); heartbeat every 15 s",
  })
  @ApiQuery({ name: 'access_token', required: false, description: 'for EventSource, which cannot send headers' })
  async stream(
    @Headers('authorization') authorization: string | undefined,
    @Query('access_token') accessToken: string | undefined,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const token = tokenOf(authorization, accessToken);
    const user = await this.authentication.authenticate(token);
    // Only a refused token ends the stream; a database hiccup during the re-check does not.
    const stillSignedIn = () =>
      this.authentication.authenticate(token).then(
        () => true,
        (error: unknown) => {
          if (error instanceof InvalidAccessTokenError) return false;
          throw error;
        },
      );
    this.events.stream(audiencesOf(user), response, stillSignedIn);
  }
}

function tokenOf(authorization: string | undefined, accessToken: string | undefined): string {
  const bearer = authorization === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  const token = bearer?.[1] ?? accessToken;
  if (token === undefined || token === '') throw new InvalidAccessTokenError('missing bearer token (Authorization header or access_token)');
  return token;
}
