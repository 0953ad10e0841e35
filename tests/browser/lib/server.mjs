// Starts the real berry binary for a browser test: port 0, a fresh data dir,
// an admin account, a fast simulated clock. Stopped (SIGTERM) at the end.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ADMIN = { email: 'admin@berry.test', password: 'admin-secret-42' };

/** A fresh data dir for startServer({ data }) to start on (removed by stop). */
export function freshDataDir() {
  return mkdtempSync(join(tmpdir(), 'berry-browser-'));
}

/**
 * `keep`: leave `data` in place on stop (a data dir the caller made once and
 * reuses); `startSeconds`: how long `listening on` may take.
 */
export async function startServer({ timeScale = 1000, extra = [], data = freshDataDir(),
  keep = false, startSeconds = 30 } = {}) {
  const binary = process.env.BERRY_BINARY;
  if (!binary) throw new Error('BERRY_BINARY is not set (ctest sets it)');
  const child = spawn(binary, ['serve', '--port', '0', '--data', data,
    '--time-scale', String(timeScale), '--log-level', 'warn', ...extra], {
    env: { ...process.env, BERRY_ADMIN_EMAIL: ADMIN.email, BERRY_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berry did not start in ${startSeconds} s`)),
      startSeconds * 1000);
    child.once('exit', (code) => reject(new Error(`berry exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return {
    base,
    async api(method, path, body, token) {
      const res = await fetch(base + path, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) rmSync(data, { recursive: true, force: true });
    },
  };
}
