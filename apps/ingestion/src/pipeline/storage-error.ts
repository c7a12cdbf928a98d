/**
 * Postgres errors caused by the data in a batch (class 22: data exception, class 23: integrity
 * violation) as opposed to the database being unavailable. Only the former justify splitting a batch
 * to isolate the message at fault; the latter mean "wait and try again", never "reject the data".
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
