/** CPU use of this process since the previous sample, in percent of one core. */
export class ProcessCpuSampler {
  private last = { usage: process.cpuUsage(), at: process.hrtime.bigint() };

  sample(): number | null {
    const usage = process.cpuUsage();
    const at = process.hrtime.bigint();
    const elapsedUs = Number(at - this.last.at) / 1000;
    const usedUs = usage.user - this.last.usage.user + (usage.system - this.last.usage.system);
    this.last = { usage, at };
    if (elapsedUs < 50_000) return null; // too short a window to mean anything
    return Math.round((usedUs / elapsedUs) * 1000) / 10;
  }
}
