import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricsService } from './metrics.service.js';

/** What Express adds to the request once a route matched (its pattern, not the concrete path). */
interface RoutedRequest extends IncomingMessage {
  route?: { path?: string };
  baseUrl?: string;
}

/**
 * Counts every answered request, including 401s and 404s that never reach an interceptor. Mounted
 * with app.use() before routing, so it also sees the routes outside the global prefix.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    response.on('finish', () => {
      // The pattern keeps label cardinality bounded (/vehicles/:vin, not one series per VIN).
      const route = request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched';
      metrics.countRequest(request.method ?? 'UNKNOWN', route, response.statusCode);
    });
    next();
  };
}
