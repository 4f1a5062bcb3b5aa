import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { HealthMonitor } from '../../src-main/services/health/health-monitor';
import { DEFAULT_THRESHOLDS } from '../../src-main/services/health/health-rules';
import { HealthService } from '../../src-main/services/health/health-service';
import { IncidentLog, openIncidentDatabase } from '../../src-main/services/incidents/incident-log';
import { openLocalDatabase } from '../../src-main/services/storage/database';
import type { ConnectionStatus } from '../../src-shared/ipc/types';
import { makeTempDir } from '../support/temp-dir';

describe('health monitor', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('opens an incident when a rule starts failing, notes recovery, and keeps samples', () => {
    const database = openLocalDatabase(path.join(temp.dir, 'beseda.db'));
    const health = new HealthService(createNodePlatform(), database, temp.dir);
    const incidentDb = openIncidentDatabase(path.join(temp.dir, 'incidents.db'));
    const incidents = new IncidentLog(incidentDb.db);
    let connection: ConnectionStatus = {
      state: 'online',
      url: 'ws://x',
      embedded: false,
      source: 'settings',
      rttMs: 3,
      serverId: 's',
      fingerprint: null,
      serverName: null,
      identityProblem: null,
      lastError: null,
      since: Date.now(),
    };
    let walLimit = 0; // any WAL at all breaches
    const monitor = new HealthMonitor({
      health,
      incidents,
      connection: () => connection,
      lastVerifiedBackupAt: () => Date.now(),
      installedAt: Date.now(),
      keystoreState: () => 'open',
      get thresholds() {
        return { ...DEFAULT_THRESHOLDS, walMaxBytes: walLimit, serverMaxDownMs: 1000 };
      },
      keep: 3,
    });
    database.db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    monitor.tick();
    monitor.tick(); // still breached: no second incident, no new event
    let [incident] = incidents.list();
    expect(incident).toMatchObject({ key: 'rule:wal_size', severity: 'warning', state: 'open' });
    expect(incident!.events.map((e) => e.kind)).toEqual(['opened']);

    walLimit = 1e12;
    connection = { ...connection, state: 'offline', since: Date.now() - 5000 };
    monitor.tick();
    [incident] = incidents.list().filter((i) => i.key === 'rule:wal_size');
    expect(incident!.events.map((e) => e.kind)).toEqual(['opened', 'recovered']);
    const down = incidents.list().find((i) => i.key === 'rule:server_unreachable');
    expect(down).toMatchObject({ severity: 'critical', state: 'open' });

    const report = monitor.report();
    expect(report.samples).toHaveLength(3);
    expect(report.samples.at(-1)).toMatchObject({ serverConnected: false, serverRttMs: 3 });
    expect(report.rules.find((r) => r.key === 'server_unreachable')?.state).toBe('breached');
    health.dispose();
    database.close();
    incidentDb.db.close();
  });
});
