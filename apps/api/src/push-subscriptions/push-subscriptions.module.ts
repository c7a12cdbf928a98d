import { Module } from '@nestjs/common';
import { PushSubscriptionRepository } from './push-subscription.repository.js';
import { PushSubscriptionsController } from './push-subscriptions.controller.js';
import { PushSubscriptionsService } from './push-subscriptions.service.js';

@Module({ controllers: [PushSubscriptionsController], providers: [PushSubscriptionsService, PushSubscriptionRepository] })
export class PushSubscriptionsModule {}
