import { z } from 'zod';
import { booleanFlag, positiveInt, type Env, type Rules } from '../env-schema.js';
import type { coreShape } from './core.section.js';

export const notificationsShape = {
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: positiveInt(2525),
  SMTP_SECURE: booleanFlag,
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Car Health <reminders@carhealth.local>'),
  SMTP_TIMEOUT_MS: positiveInt(10000),
  /** Generated on first use and kept: subscriptions are bound to this key pair. */
  VAPID_KEY_FILE: z.string().optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'must start with mailto: or https:')
    .default('mailto:ops@carhealth.local'),
  WEB_PUSH_TTL_SECONDS: positiveInt(86400),
  WEB_PUSH_TIMEOUT_MS: positiveInt(10000),
  WEBHOOK_TIMEOUT_MS: positiveInt(10000),
  // Owner-supplied URLs (webhooks, push endpoints) go to public https addresses only; these ranges are let
  // through anyway, http included: tests' and a local demo's peers. Empty (the default) in production.
  OUTBOUND_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((cidr) => cidr.trim())
        .filter((cidr) => cidr !== ''),
    ),
  /** How often a reminder nobody acted on is sent again, by risk; 0 = never. */
  REMINDER_REPEAT_SOON_HOURS: z.coerce.number().nonnegative().default(168),
  REMINDER_REPEAT_URGENT_HOURS: z.coerce.number().nonnegative().default(24),
  REMINDER_REPEAT_CRITICAL_HOURS: z.coerce.number().nonnegative().default(4),
  NOTIFY_DIGEST_TIME: z
    .string()
    .regex(/^\d{2}:\d{2}$/, 'must be HH:MM')
    .default('09:00'),
  /** How often the worker looks for reminders due to be sent and deliveries due to be retried. */
  NOTIFY_SWEEP_MS: positiveInt(5000),
  /** The owner web app as owners reach it: every reminder message links to the reminder there. */
  PUBLIC_APP_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+\/(.*\/)?$/, 'must be an http(s) URL ending in /')
    .default('http://127.0.0.1:3000/app/'),
  /**
   * Sends in flight per worker. Sends wait on other people's servers (a slow webhook receiver can take its
   * whole timeout), so this is sized for waiting, not for CPU: a few slow peers must not stall everyone else.
   */
  NOTIFY_CONCURRENCY: positiveInt(64),
};

export const notificationsRules: Rules<typeof coreShape & typeof notificationsShape> = (env, context) => {
  // Generated on first use into the file: in production each replica (API and worker) must find the same
  // pair, so the file is named explicitly on storage they share rather than defaulted inside each app folder.
  if (env.NODE_ENV === 'production' && env.VAPID_KEY_FILE === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['VAPID_KEY_FILE'],
      message:
        'must be set in production: an absolute path on storage shared by the API and the worker (the key pair is generated there on first use, mode 0600)',
    });
  }
};

export interface NotificationsConfig {
  readonly notifications: {
    readonly smtp: {
      readonly host: string;
      readonly port: number;
      readonly secure: boolean;
      readonly auth?: { readonly user: string; readonly pass: string };
      readonly from: string;
      readonly timeoutMs: number;
    };
    readonly vapid: { readonly keyFile: string; readonly subject: string };
    readonly webPushTtlSeconds: number;
    readonly webPushTimeoutMs: number;
    readonly webhookTimeoutMs: number;
    /** OUTBOUND_ALLOWED_CIDRS: private ranges webhooks and push may reach anyway; empty by default. */
    readonly outboundAllowedCidrs: readonly string[];
    readonly repeatHours: { readonly SOON: number; readonly URGENT: number; readonly CRITICAL: number };
    readonly digestTime: string;
    readonly sweepMs: number;
    readonly appUrl: string;
    readonly concurrency: number;
  };
}

export const notificationsOf = (e: Env<typeof notificationsShape>): NotificationsConfig => ({
  notifications: {
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      // Log in only when both are given: a local relay usually needs no login.
      ...(e.SMTP_USER && e.SMTP_PASSWORD ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } } : {}),
      from: e.SMTP_FROM,
      timeoutMs: e.SMTP_TIMEOUT_MS,
    },
    // Development default inside the checkout (.local is git-ignored); production names it (see the rules).
    vapid: { keyFile: e.VAPID_KEY_FILE ?? './.local/vapid.json', subject: e.VAPID_SUBJECT },
    webPushTtlSeconds: e.WEB_PUSH_TTL_SECONDS,
    webPushTimeoutMs: e.WEB_PUSH_TIMEOUT_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    outboundAllowedCidrs: e.OUTBOUND_ALLOWED_CIDRS,
    repeatHours: {
      SOON: e.REMINDER_REPEAT_SOON_HOURS,
      URGENT: e.REMINDER_REPEAT_URGENT_HOURS,
      CRITICAL: e.REMINDER_REPEAT_CRITICAL_HOURS,
    },
    digestTime: e.NOTIFY_DIGEST_TIME,
    sweepMs: e.NOTIFY_SWEEP_MS,
    appUrl: e.PUBLIC_APP_URL,
    concurrency: e.NOTIFY_CONCURRENCY,
  },
});
