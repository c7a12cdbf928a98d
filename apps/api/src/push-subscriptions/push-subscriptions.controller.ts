import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, type RequestUser } from '#app/auth';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { PushSubscriptionView, VapidPublicKeyView } from './push-subscription.model.js';
import {
  type PushSubscriptionChangeRequest,
  pushSubscriptionChangeSchema,
  pushSubscriptionIdSchema,
  type PushSubscriptionRequest,
  pushSubscriptionSchema,
} from './push-subscription.schema.js';
import { PushSubscriptionsService } from './push-subscriptions.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class PushSubscriptionsController {
  constructor(private readonly subscriptions: PushSubscriptionsService) {}

  // Public: the page needs the key before it can subscribe, and it is a public key.
  @Get('push/vapid-public-key')
  @Public()
  @ApiOperation({ summary: 'The VAPID public key to subscribe browsers with' })
  vapidPublicKey(): Promise<VapidPublicKeyView> {
    return this.subscriptions.vapidPublicKey();
  }

  @Post('me/push-subscriptions')
  @HttpCode(200)
  @ApiOperation({ summary: "Register this browser's push subscription (PushSubscription.toJSON()); upsert by endpoint" })
  @ApiZodBody(pushSubscriptionSchema)
  subscribe(
    @CurrentUser() user: RequestUser,
    @Body(new ZodValidationPipe(pushSubscriptionSchema)) body: PushSubscriptionRequest,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<PushSubscriptionView> {
    return this.subscriptions.subscribe(user, body, userAgent);
  }

  // Public: sent by a service worker, which has no session; the old subscription's secrets are the proof.
  @Post('push/subscription-change')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: "A browser's replaced subscription (pushsubscriptionchange): the new one takes the old one's place" })
  @ApiZodBody(pushSubscriptionChangeSchema)
  change(
    @Body(new ZodValidationPipe(pushSubscriptionChangeSchema)) body: PushSubscriptionChangeRequest,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<PushSubscriptionView> {
    return this.subscriptions.change(body, userAgent);
  }

  @Get('me/push-subscriptions')
  @ApiOperation({ summary: "The caller's push subscriptions" })
  list(@CurrentUser() user: RequestUser): Promise<PushSubscriptionView[]> {
    return this.subscriptions.list(user);
  }

  @Delete('me/push-subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one of the caller’s push subscriptions' })
  unsubscribe(@CurrentUser() user: RequestUser, @Param('id', new ZodValidationPipe(pushSubscriptionIdSchema)) id: string): Promise<void> {
    return this.subscriptions.unsubscribe(user, id);
  }
}
