import { Module } from '@nestjs/common';
import { APP_CONFIG, type BrokerAuthConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { BrokerCredentialsSync } from './broker-credentials.sync.js';

@Module({
  providers: [
    {
      provide: BrokerCredentialsSync,
      inject: [PrismaService, APP_CONFIG],
      useFactory: (prisma: PrismaService, config: BrokerAuthConfig) => new BrokerCredentialsSync(prisma, config.brokerAuth.files),
    },
  ],
  exports: [BrokerCredentialsSync],
})
export class BrokerAuthModule {}
