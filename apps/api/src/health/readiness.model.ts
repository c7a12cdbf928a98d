export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: { postgres: CheckResult; redis: CheckResult; mqtt: CheckResult };
}
