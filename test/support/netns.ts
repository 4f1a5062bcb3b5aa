/**
 * A second "computer" for tests: a network namespace of the test's own, joined to this one by a
 * veth pair with addresses the test chooses (10.231.N.1 here, 10.231.N.2 there). Programs run in
 * it with `ip netns exec`; traffic never leaves this machine. Needs root and iproute2 (CI has
 * both); a test that needs it fails with the reason when it cannot be made.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

export interface TestNamespace {
  name: string;
  /** This side's address, which programs in the namespace reach us at. */
  hostAddress: string;
  /** The namespace's own address, which we see their connections come from. */
  address: string;
  /** Runs `node -e script` inside the namespace; resolves with what it printed. */
  node(
    script: string,
    timeoutMs?: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Starts `node -e script` inside the namespace and keeps it running; lines as they come. */
  spawnNode(script: string): NamespaceProcess;
  /** The argv prefix that runs a program inside the namespace. */
  exec: string[];
  /** A script (in `dir`) that starts `program` with its arguments inside the namespace. */
  wrapper(program: string, dir: string): string;
  remove(): void;
}

export interface NamespaceProcess {
  /** Resolves with the first line of stdout that `match` accepts. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stderr(): string;
  stop(): void;
}

let counter = 0;

/** Turns IPv6 off on one interface (`prefix` runs the shell in its namespace), if it is on. */
function noIpv6(ifname: string, prefix: string[]): void {
  const file = `/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`;
  const [cmd, ...args] = [...prefix, 'sh', '-c', `[ ! -e ${file} ] || echo 1 > ${file}`];
  execFileSync(cmd!, args, { stdio: 'pipe' });
}

/** Waits until the link has its carrier and no address is still being set up. */
function settled(ifname: string, timeoutMs = 10_000): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const link = execFileSync('ip', ['-o', 'link', 'show', 'dev', ifname], { encoding: 'utf8' });
    const addr = execFileSync('ip', ['-o', 'addr', 'show', 'dev', ifname], { encoding: 'utf8' });
    if (link.includes('LOWER_UP') && !addr.includes('tentative')) return;
    if (Date.now() > deadline)
      throw new Error(`the test network ${ifname} did not come up: ${link.trim()} ${addr.trim()}`);
    Atomics.wait(pause, 0, 0, 50);
  }
}

export function makeNamespace(): TestNamespace {
  counter++;
  // A subnet no other namespace of a test running beside this one uses.
  const inUse = execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' });
  let id = 1 + Math.floor(Math.random() * 250);
  while (inUse.includes(`10.231.${id}.`)) id = 1 + Math.floor(Math.random() * 250);
  const name = `beseda-test-${process.pid}-${counter}`;
  const hostSide = `bt${process.pid % 100000}h${counter}`.slice(0, 15);
  const nsSide = `bt${process.pid % 100000}n${counter}`.slice(0, 15);
  const hostAddress = `10.231.${id}.1`;
  const address = `10.231.${id}.2`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
    ip('link', 'set', nsSide, 'netns', name);
    // No IPv6 on the pair: its link-local addresses would change state (tentative → valid) a
    // second later, and a Chromium already running takes that for a network change and aborts
    // the page loads in flight (net::ERR_NETWORK_CHANGED, a blank first screen).
    noIpv6(hostSide, []);
    noIpv6(nsSide, ['ip', 'netns', 'exec', name]);
    ip('addr', 'add', `${hostAddress}/24`, 'dev', hostSide);
    ip('link', 'set', hostSide, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${address}/24`, 'dev', nsSide);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsSide, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    settled(hostSide);
  } catch (error) {
    try {
      ip('netns', 'del', name);
    } catch {
      // not made
    }
    throw new Error(
      `cannot make a network namespace (needs root and iproute2): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    name,
    hostAddress,
    address,
    exec: ['ip', 'netns', 'exec', name],
    wrapper(program, dir) {
      const file = path.join(dir, `in-${name}-${path.basename(program)}.sh`);
      fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${name} ${program} "$@"\n`, {
        mode: 0o755,
      });
      return file;
    },
    spawnNode(script) {
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', script], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: string[] = [];
      const waiters: { match: (l: string) => boolean; resolve(l: string): void }[] = [];
      let buffer = '';
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        let index;
        while ((index = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, index);
          buffer = buffer.slice(index + 1);
          const waiter = waiters.findIndex((w) => w.match(line));
          if (waiter >= 0) waiters.splice(waiter, 1)[0]!.resolve(line);
          else lines.push(line);
        }
      });
      return {
        line(match, timeoutMs = 20_000) {
          const seen = lines.findIndex(match);
          if (seen >= 0) return Promise.resolve(lines.splice(seen, 1)[0]!);
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new Error(`no such line from the namespace within ${timeoutMs} ms:\n${stderr}`),
                ),
              timeoutMs,
            );
            waiters.push({
              match,
              resolve: (line) => {
                clearTimeout(timer);
                resolve(line);
              },
            });
          });
        },
        stderr: () => stderr,
        stop: () => child.kill('SIGKILL'),
      };
    },
    node(script, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', script], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`namespace script timed out:\n${stderr}`));
        }, timeoutMs);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    },
    remove() {
      try {
        ip('link', 'del', hostSide);
      } catch {
        // gone with the namespace
      }
      try {
        ip('netns', 'del', name);
      } catch {
        // already removed
      }
    },
  };
}
