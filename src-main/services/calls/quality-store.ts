/**
 * Call-quality samples (one per remote participant per second, from the renderer's getStats),
 * kept for the analytics dashboard with a row limit so that long calls cannot fill the disk.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { QualitySample } from '../../../src-shared/ipc/call-types';

export const MAX_QUALITY_SAMPLES = 500_000;

export class QualityStore {
  private readonly insert: Statement;
  private readonly count: Statement;
  private readonly trim: Statement;
  private readonly forCall: Statement;

  constructor(
    private readonly db: Database,
    private readonly maxRows = MAX_QUALITY_SAMPLES,
  ) {
    this.insert = db.prepare(`
      INSERT INTO call_quality_samples
        (call_id, peer_id, at, rtt_ms, jitter_ms, loss_pct, bitrate_kbps, fps, width, height)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.count = db.prepare('SELECT count(*) AS n FROM call_quality_samples');
    this.trim = db.prepare(`
      DELETE FROM call_quality_samples WHERE id IN (
        SELECT id FROM call_quality_samples ORDER BY at, id LIMIT ?)`);
    this.forCall = db.prepare(`
      SELECT peer_id AS peerId, at, rtt_ms AS rttMs, jitter_ms AS jitterMs, loss_pct AS lossPct,
        bitrate_kbps AS bitrateKbps, fps, width, height
      FROM call_quality_samples WHERE call_id = ? ORDER BY at, id`);
  }

  /** Stores a batch in one transaction and drops the oldest rows past the limit. */
  add(callId: string, samples: QualitySample[]): void {
    this.db.transaction(() => {
      for (const s of samples)
        this.insert.run(
          callId,
          s.peerId,
          s.at,
          s.rttMs,
          s.jitterMs,
          s.lossPct,
          s.bitrateKbps,
          s.fps,
          s.width,
          s.height,
        );
      const { n } = this.count.get() as { n: number };
      if (n > this.maxRows) this.trim.run(n - this.maxRows);
    })();
  }

  samples(callId: string): QualitySample[] {
    return this.forCall.all(callId) as QualitySample[];
  }
}
