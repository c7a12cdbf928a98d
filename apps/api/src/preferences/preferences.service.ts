import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { accountScopeOf } from '../common/vehicle-scope.model.js';
import { resolvePreferences } from '#app/notifications';
import type { PreferenceView, UpdatedPreferenceView } from './preference.model.js';
import { PreferenceRepository } from './preference.repository.js';
import type { UpdatePreferenceRequest } from './preference.schema.js';

// What a user who never saved preferences is treated as having chosen, everywhere (resolvePreferences).
const NONE = resolvePreferences(null);
const DEFAULTS: PreferenceView = {
  channels: [...NONE.channels],
  language: NONE.language,
  timeZone: NONE.timeZone,
  quietHoursStart: NONE.quietHoursStart,
  quietHoursEnd: NONE.quietHoursEnd,
  digest: NONE.digest,
  email: NONE.email,
  webhookUrl: NONE.webhookUrl,
  webhookSecretSet: false,
  updatedAt: null,
};

interface PreferenceRow {
  channels: PreferenceView['channels'];
  language: string;
  timeZone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digest: boolean;
  email: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  updatedAt: Date;
}

@Injectable()
export class PreferencesService {
  constructor(private readonly preferences: PreferenceRepository) {}

  async get(user: RequestUser): Promise<PreferenceView> {
    const row = await this.preferences.find(accountScopeOf(user));
    return row ? toView(row) : DEFAULTS;
  }

  /**
   * Replaces the preferences. The webhook secret is write-only: a PUT without one keeps the stored
   * secret; a webhook without any secret gets a generated one, returned in this response only.
   * Removing the webhook URL removes its secret too.
   */
  async update(user: RequestUser, request: UpdatePreferenceRequest): Promise<UpdatedPreferenceView> {
    const scope = accountScopeOf(user);
    const { webhookSecret: given, ...fields } = request;
    const existing = await this.preferences.find(scope);
    let generated: string | undefined;
    let secret: string | null = null;
    if (fields.webhookUrl !== null) {
      secret = given ?? existing?.webhookSecret ?? null;
      if (secret === null) secret = generated = randomBytes(32).toString('base64url');
    }
    const data = { ...fields, webhookSecret: secret };
    const row = await this.preferences.save(scope, data);
    return { ...toView(row), ...(generated !== undefined ? { webhookSecret: generated } : {}) };
  }
}

function toView(row: PreferenceRow): PreferenceView {
  return {
    channels: row.channels,
    language: row.language,
    timeZone: row.timeZone,
    quietHoursStart: row.quietHoursStart,
    quietHoursEnd: row.quietHoursEnd,
    digest: row.digest,
    email: row.email,
    webhookUrl: row.webhookUrl,
    webhookSecretSet: row.webhookSecret !== null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
