/** A stored preference the policy cannot apply (unknown time zone, "25:00"): fix the preference, retrying will not help. */
export class InvalidDeliveryPreferenceError extends Error {
  override readonly name = 'InvalidDeliveryPreferenceError';

  constructor(
    readonly field: string,
    readonly value: string,
    reason: string,
  ) {
    super(`${field} "${value}": ${reason}`);
  }
}
