/**
 * The server's Prometheus metrics (`GET /metrics`, text format), through prom-client: one
 * registry per server (several can run in one process: the app embeds one, tests start many).
 * Besides the counters below, prom-client's default process metrics, among them
 * `nodejs_eventloop_lag_seconds` and `process_resident_memory_bytes`.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export function serverMetrics(connections: () => number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string) =>
    new Counter({ name, help, registers: [registry] });
  new Gauge({
    name: 'talkdesk_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(connections());
    },
  });
  return {
    registry,
    connectionsTotal: counter('talkdesk_connections_total', 'WebSocket connections accepted'),
    upgradesRefused: new Counter({
      name: 'talkdesk_upgrades_refused_total',
      help: 'WebSocket upgrades refused, by reason (origin, per_address)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    frames: counter('talkdesk_frames_received_total', 'Frames received from clients'),
    messages: counter('talkdesk_messages_total', 'Chat messages sent by clients (msg.send)'),
    badFrames: counter('talkdesk_bad_frames_total', 'Frames refused as malformed or out of order'),
    errors: counter('talkdesk_internal_errors_total', 'Requests that failed inside the server'),
    rateLimited: counter(
      'talkdesk_rate_limited_total',
      'Frames refused for exceeding a rate limit',
    ),
    disconnected: new Counter({
      name: 'talkdesk_disconnected_total',
      help: 'Connections closed by the server, by reason (bad_frames, rate_limit)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}
export type ServerMetrics = ReturnType<typeof serverMetrics>;
