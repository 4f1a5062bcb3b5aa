/**
 * The server's counters, and their Prometheus form (`GET /metrics`, text format) through
 * prom-client: one registry per server (several can run in one process: the app embeds one,
 * tests start many), read from the counters when scraped, so the server counts everything once.
 * Besides these, prom-client's default process metrics, among them `nodejs_eventloop_lag_seconds`
 * and `process_resident_memory_bytes`.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export interface ServerCounters {
  connectionsTotal: number;
  framesReceived: number;
  /** Chat messages sent by clients (msg.send). */
  messages: number;
  badFrames: number;
  disconnectedForErrors: number;
  /** Requests answered with a refusal (not a member, bad invite...): not the client's fault. */
  refusedRequests: number;
  /** Requests that failed inside the server. */
  internalErrors: number;
  /** Frames refused for exceeding a rate limit, and connections closed for it. */
  rateLimited: number;
  disconnectedForRate: number;
  /** Upgrades refused (foreign Origin, too many connections from one address), and of them for Origin. */
  refusedUpgrades: number;
  refusedUpgradesForOrigin: number;
  refusedUpgradesForToken: number;
  /** TCP connections cut because their address held too many still in their HTTP phase. */
  refusedPendingConnections: number;
  /** Sockets closed for not saying hello in time. */
  disconnectedForSilence: number;
  /** /metrics requests refused (not from this machine, no or a wrong token). */
  refusedMetrics: number;
  /** Wrong invite codes tried, and tries refused for too many of them. */
  failedJoins: number;
  joinsRateLimited: number;
  /** New identities refused because their address registered too many. */
  refusedNewIdentities: number;
  /** Hellos for an address that is not this server's (a relaying server, a wrong address). */
  wrongServer: number;
}

export function newCounters(): ServerCounters {
  return {
    connectionsTotal: 0,
    framesReceived: 0,
    messages: 0,
    badFrames: 0,
    disconnectedForErrors: 0,
    refusedRequests: 0,
    internalErrors: 0,
    rateLimited: 0,
    disconnectedForRate: 0,
    refusedUpgrades: 0,
    refusedUpgradesForOrigin: 0,
    refusedUpgradesForToken: 0,
    refusedPendingConnections: 0,
    disconnectedForSilence: 0,
    refusedMetrics: 0,
    failedJoins: 0,
    joinsRateLimited: 0,
    refusedNewIdentities: 0,
    wrongServer: 0,
  };
}

export function metricsRegistry(counters: ServerCounters, connections: () => number): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, value: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(value());
      },
    });
  const byReason = (name: string, help: string, values: () => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, value] of Object.entries(values())) this.inc({ reason }, value);
      },
    });
  new Gauge({
    name: 'beseda_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(connections());
    },
  });
  const c = counters;
  counter('beseda_connections_total', 'WebSocket connections accepted', () => c.connectionsTotal);
  counter('beseda_frames_received_total', 'Frames received from clients', () => c.framesReceived);
  counter('beseda_messages_total', 'Chat messages sent by clients (msg.send)', () => c.messages);
  counter(
    'beseda_bad_frames_total',
    'Frames refused as malformed or out of order',
    () => c.badFrames,
  );
  counter(
    'beseda_internal_errors_total',
    'Requests that failed inside the server',
    () => c.internalErrors,
  );
  counter(
    'beseda_rate_limited_total',
    'Frames refused for exceeding a rate limit',
    () => c.rateLimited,
  );
  byReason(
    'beseda_disconnected_total',
    'Connections closed by the server, by reason (bad_frames, rate_limit, no_hello)',
    () => ({
      bad_frames: c.disconnectedForErrors,
      rate_limit: c.disconnectedForRate,
      no_hello: c.disconnectedForSilence,
    }),
  );
  counter(
    'beseda_pending_connections_refused_total',
    'TCP connections cut because their address held too many in their HTTP phase',
    () => c.refusedPendingConnections,
  );
  counter(
    'beseda_wrong_server_total',
    'Hellos for an address that is not this server (refused)',
    () => c.wrongServer,
  );
  counter('beseda_metrics_refused_total', 'Refused /metrics requests', () => c.refusedMetrics);
  counter(
    'beseda_failed_joins_total',
    'Joins with an unknown or revoked invite code',
    () => c.failedJoins,
  );
  counter(
    'beseda_joins_rate_limited_total',
    'Joins refused for too many wrong invite codes',
    () => c.joinsRateLimited,
  );
  counter(
    'beseda_new_identities_refused_total',
    'Sign-ins of new identities refused for their address registering too many',
    () => c.refusedNewIdentities,
  );
  byReason(
    'beseda_upgrades_refused_total',
    'WebSocket upgrades refused, by reason (origin, token, per_address)',
    () => ({
      origin: c.refusedUpgradesForOrigin,
      token: c.refusedUpgradesForToken,
      per_address: c.refusedUpgrades - c.refusedUpgradesForOrigin - c.refusedUpgradesForToken,
    }),
  );
  return registry;
}
