import type { Risk } from '../rendering/reminder-content.model.js';
import { InvalidDeliveryPreferenceError } from './invalid-delivery-preference.error.js';
import { decideSendTime, type DeliveryPreference } from './send-time.policy.js';

const preference = (overrides: Partial<DeliveryPreference> = {}): DeliveryPreference => ({
  timeZone: 'Asia/Shanghai',
  quietHoursStart: '22:00',
  quietHoursEnd: '07:00',
  digest: false,
  ...overrides,
});

const at = (iso: string): Date => new Date(iso);

describe(decideSendTime.name, () => {
  describe('quiet hours spanning midnight in Asia/Shanghai (UTC+8, no DST)', () => {
    const sut = (risk: Risk, now: string) => decideSendTime(preference(), risk, at(now));

    it('sends at once in the local daytime', () => {
      expect(sut('URGENT', '2026-11-26T06:30:00Z')).toEqual({ at: at('2026-11-26T06:30:00Z'), reason: 'immediate' }); // 14:30 local
    });

    it('holds a reminder raised in the late evening until 07:00 the next local morning', () => {
      // 23:15 local on the 26th -> 07:00 local on the 27th = 23:00Z on the 26th.
      expect(sut('SOON', '2026-11-26T15:15:00Z')).toEqual({ at: at('2026-11-26T23:00:00Z'), reason: 'quiet-hours' });
    });

    it('holds a reminder raised after midnight until 07:00 the same local morning', () => {
      // 03:00 local on the 27th (19:00Z on the 26th) -> 07:00 local on the 27th.
      expect(sut('URGENT', '2026-11-26T19:00:00Z')).toEqual({ at: at('2026-11-26T23:00:00Z'), reason: 'quiet-hours' });
    });

    it('treats the start as inside and the end as outside quiet hours', () => {
      expect(sut('SOON', '2026-11-26T14:00:00Z').reason).toBe('quiet-hours'); // 22:00 local
      expect(sut('SOON', '2026-11-26T23:00:00Z')).toEqual({ at: at('2026-11-26T23:00:00Z'), reason: 'immediate' }); // 07:00 local
    });

    it('lets a CRITICAL reminder through at night', () => {
      expect(sut('CRITICAL', '2026-11-26T18:00:00Z')).toEqual({ at: at('2026-11-26T18:00:00Z'), reason: 'immediate' });
    });
  });

  describe('Europe/Berlin across daylight saving changes', () => {
    const berlin = preference({ timeZone: 'Europe/Berlin' });

    it('ends the night at 07:00 CEST (05:00Z) when clocks sprang forward during it (2026-03-29)', () => {
      // 23:00 CET on the 28th = 22:00Z; a fixed +1 h offset would wrongly say 06:00Z.
      expect(decideSendTime(berlin, 'SOON', at('2026-03-28T22:00:00Z'))).toEqual({ at: at('2026-03-29T05:00:00Z'), reason: 'quiet-hours' });
    });

    it('ends the night at 07:00 CET (06:00Z) when clocks fell back during it (2026-10-25)', () => {
      // 23:00 CEST on the 24th = 21:00Z; a fixed +2 h offset would wrongly say 05:00Z.
      expect(decideSendTime(berlin, 'URGENT', at('2026-10-24T21:00:00Z'))).toEqual({ at: at('2026-10-25T06:00:00Z'), reason: 'quiet-hours' });
    });

    it('knows 02:30 in the repeated autumn hour is inside quiet hours both times', () => {
      expect(decideSendTime(berlin, 'SOON', at('2026-10-25T00:30:00Z')).reason).toBe('quiet-hours'); // 02:30 CEST
      expect(decideSendTime(berlin, 'SOON', at('2026-10-25T01:30:00Z')).reason).toBe('quiet-hours'); // 02:30 CET
    });

    it('resolves quiet hours that start inside the skipped spring hour by shifting them by the gap', () => {
      // 02:30 does not exist on 2026-03-29: 01:59:59 CET is followed by 03:00 CEST.
      const gap = preference({ timeZone: 'Europe/Berlin', quietHoursStart: '21:00', quietHoursEnd: '02:30' });
      expect(decideSendTime(gap, 'SOON', at('2026-03-28T23:30:00Z'))).toEqual({ at: at('2026-03-29T01:30:00Z'), reason: 'quiet-hours' }); // 00:30 CET -> 03:30 CEST
    });
  });

  describe('daily digest', () => {
    const digest = preference({ digest: true });

    it('batches a non-urgent reminder to 09:00 local the same day when that is still ahead', () => {
      // 08:00 local -> 09:00 local = 01:00Z.
      expect(decideSendTime(digest, 'SOON', at('2026-11-26T00:00:00Z'))).toEqual({ at: at('2026-11-26T01:00:00Z'), reason: 'digest' });
    });

    it("batches it to 09:00 local the next day once today's digest has gone", () => {
      // 14:30 local on the 26th -> 09:00 local on the 27th.
      expect(decideSendTime(digest, 'WATCH', at('2026-11-26T06:30:00Z'))).toEqual({ at: at('2026-11-27T01:00:00Z'), reason: 'digest' });
    });

    it('does not batch URGENT or CRITICAL ones', () => {
      expect(decideSendTime(digest, 'URGENT', at('2026-11-26T06:30:00Z')).reason).toBe('immediate');
      expect(decideSendTime(digest, 'CRITICAL', at('2026-11-26T18:00:00Z')).reason).toBe('immediate');
    });

    it('moves a digest time configured inside quiet hours to their end', () => {
      const early = preference({ digest: true, digestTime: '06:00' });
      // 14:30 local on the 26th -> 06:00 on the 27th is quiet -> 07:00 local on the 27th.
      expect(decideSendTime(early, 'SOON', at('2026-11-26T06:30:00Z'))).toEqual({ at: at('2026-11-26T23:00:00Z'), reason: 'digest' });
    });

    it('keeps 09:00 local across the spring DST change in Berlin', () => {
      const berlin = preference({ timeZone: 'Europe/Berlin', digest: true, quietHoursStart: null, quietHoursEnd: null });
      // 12:00 CET on the 28th -> 09:00 CEST on the 29th = 07:00Z.
      expect(decideSendTime(berlin, 'SOON', at('2026-03-28T11:00:00Z'))).toEqual({ at: at('2026-03-29T07:00:00Z'), reason: 'digest' });
    });
  });

  it('sends at once when the owner set no quiet hours', () => {
    const none = preference({ quietHoursStart: null, quietHoursEnd: null });
    expect(decideSendTime(none, 'SOON', at('2026-11-26T18:00:00Z'))).toEqual({ at: at('2026-11-26T18:00:00Z'), reason: 'immediate' });
  });

  it('handles quiet hours within one day (13:00-14:00)', () => {
    const nap = preference({ quietHoursStart: '13:00', quietHoursEnd: '14:00' });
    expect(decideSendTime(nap, 'SOON', at('2026-11-26T05:30:00Z'))).toEqual({ at: at('2026-11-26T06:00:00Z'), reason: 'quiet-hours' });
    expect(decideSendTime(nap, 'SOON', at('2026-11-26T14:00:00Z')).reason).toBe('immediate');
  });

  it('rejects an unknown time zone and a malformed clock time with a named error', () => {
    expect(() => decideSendTime(preference({ timeZone: 'Mars/Olympus' }), 'SOON', at('2026-11-26T06:30:00Z'))).toThrow(
      InvalidDeliveryPreferenceError,
    );
    expect(() => decideSendTime(preference({ quietHoursStart: '25:00' }), 'SOON', at('2026-11-26T06:30:00Z'))).toThrow(
      InvalidDeliveryPreferenceError,
    );
  });
});
