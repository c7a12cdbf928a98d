import { Injectable } from '@nestjs/common';
import { PrismaService } from '#app/database';

/** The readiness probe's round trip to Postgres, through the API's own pool. Reads no tenant data. */
@Injectable()
export class DatabasePingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }
}
