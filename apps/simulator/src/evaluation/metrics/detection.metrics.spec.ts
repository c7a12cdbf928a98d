import {
  drivingDayOutcome,
  absolutePercentageError,
  alertEpisodes,
  detectionOutcome,
  firstRaisedFrom,
  median,
  medianAbsolutePercentageError,
  perThousandVehicleDays,
  recall,
} from './detection.metrics.js';

const days = (pattern: string): boolean[] => Array.from(pattern, (c) => c === '#');

describe('detection metrics', () => {
  describe(alertEpisodes.name, () => {
    it('counts an alert that stays raised once, and again after it clears', () => {
      const sut = alertEpisodes(days('..###..#.##'));

      expect(sut).toEqual([
        { startDay: 2, endDay: 4 },
        { startDay: 7, endDay: 7 },
        { startDay: 9, endDay: 10 },
      ]);
    });

    it('finds none in a quiet series and one in an always-raised series', () => {
      expect(alertEpisodes(days('.....'))).toEqual([]);
      expect(alertEpisodes(days('####'))).toEqual([{ startDay: 0, endDay: 3 }]);
    });
  });

  describe(firstRaisedFrom.name, () => {
    it('ignores alerts before the fault began', () => {
      expect(firstRaisedFrom(days('#...##'), 2)).toBe(4);
      expect(firstRaisedFrom(days('#.....'), 1)).toBeNull();
    });
  });

  describe(detectionOutcome.name, () => {
    it('predictive: an alert on day 30 before a failure on day 50 leads by 20 days', () => {
      expect(detectionOutcome({ kind: 'predictive' }, 50, 30)).toEqual({ detected: true, leadDays: 20, delayDays: null });
    });

    it('predictive: an alert on the failure day itself or later is a miss', () => {
      expect(detectionOutcome({ kind: 'predictive' }, 50, 50).detected).toBe(false);
      expect(detectionOutcome({ kind: 'predictive' }, 50, 61)).toEqual({ detected: false, leadDays: -11, delayDays: null });
      expect(detectionOutcome({ kind: 'predictive' }, 50, null)).toEqual({ detected: false, leadDays: null, delayDays: null });
    });

    it('reactive: detected within the allowed days after onset, missed after', () => {
      expect(detectionOutcome({ kind: 'reactive', withinDays: 7 }, 40, 43)).toEqual({ detected: true, leadDays: null, delayDays: 3 });
      expect(detectionOutcome({ kind: 'reactive', withinDays: 7 }, 40, 47).detected).toBe(true);
      expect(detectionOutcome({ kind: 'reactive', withinDays: 7 }, 40, 48).detected).toBe(false);
    });
  });

  describe(drivingDayOutcome.name, () => {
    // Onset on day 2; the car stands still on days 3 and 5.
    const moved = [true, true, true, false, true, false, true, true];

    it('counts the days the car moved from the onset day through the alert day', () => {
      expect(drivingDayOutcome(3, moved, 2, 6)).toEqual({ detected: true, leadDays: null, delayDays: 3 });
      expect(drivingDayOutcome(3, moved, 2, 7)).toEqual({ detected: false, leadDays: null, delayDays: 4 });
    });

    it('calls an alert at the end of the onset day one driving day, and no alert a miss', () => {
      expect(drivingDayOutcome(3, moved, 2, 2)).toEqual({ detected: true, leadDays: null, delayDays: 1 });
      expect(drivingDayOutcome(3, moved, 2, null)).toEqual({ detected: false, leadDays: null, delayDays: null });
    });
  });

  describe(recall.name, () => {
    it('is the detected share, and undefined without faults', () => {
      expect(recall([{ detected: true }, { detected: false }, { detected: true }, { detected: true }])).toBe(0.75);
      expect(recall([])).toBeNull();
    });
  });

  describe(median.name, () => {
    it('takes the middle value, or the mean of the two middle ones', () => {
      expect(median([9, 1, 5])).toBe(5);
      expect(median([14, 2, 30, 20])).toBe(17);
      expect(median([])).toBeNull();
    });
  });

  describe('percentage errors', () => {
    it('measures a forecast of 1,100 km against a truth of 1,000 km as 10 %', () => {
      expect(absolutePercentageError(1100, 1000)).toBeCloseTo(0.1, 12);
      expect(absolutePercentageError(800, 1000)).toBeCloseTo(0.2, 12);
    });

    it('takes the median of the errors, so one wild forecast does not dominate', () => {
      const pairs = [
        { forecast: 110, truth: 100 },
        { forecast: 95, truth: 100 },
        { forecast: 500, truth: 100 },
        { forecast: 70, truth: 100 },
      ];
      // Errors 0.10, 0.05, 4.00, 0.30 -> median of 0.10 and 0.30.
      expect(medianAbsolutePercentageError(pairs)).toBeCloseTo(0.2, 12);
      expect(medianAbsolutePercentageError([])).toBeNull();
    });

    it('refuses a zero truth', () => {
      expect(() => absolutePercentageError(5, 0)).toThrow(RangeError);
    });
  });

  describe(perThousandVehicleDays.name, () => {
    it('scales episodes to 1,000 vehicle-days', () => {
      expect(perThousandVehicleDays(3, 6000)).toBeCloseTo(0.5, 12);
      expect(perThousandVehicleDays(0, 0)).toBeNull();
    });
  });
});
