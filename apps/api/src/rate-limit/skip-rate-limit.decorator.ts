import { SetMetadata } from '@nestjs/common';

export const SKIP_RATE_LIMIT_KEY = 'carhealth:skipRateLimit';

/** Exempts a route (or controller) from the per-caller limit: probes and scrapers must never see a 429. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_RATE_LIMIT_KEY, true);
