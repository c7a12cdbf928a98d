/** An owner-supplied URL the platform will not send to (see outbound-target.policy.ts). Retrying cannot help. */
export class OutboundTargetRefusedError extends Error {
  override readonly name = 'OutboundTargetRefusedError';

  constructor(readonly reason: string) {
    super(`refused target: ${reason}`);
  }
}
