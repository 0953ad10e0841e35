// The admin of a three-node cluster (examples/cluster/run: etcd, PostgreSQL,
// three nodes, HAProxy) sees its nodes and who owns each shard on /admin,
// through HAProxy, as GET /api/v1/cluster says; after a node stops, the page
// shows its shards with their new owners without a reload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launch, newPage, artifact } from './lib/browser.mjs';
import { loginInBrowser } from './lib/shop.mjs';

const script = fileURLToPath(new URL('../../examples/cluster/run', import.meta.url));

function installed(tool) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = ['etcd', 'haproxy'].filter((t) => !installed(t));

/** The example, up: {base, admin, nodes: {name: pid}, stop()}. */
async function startCluster() {
  const child = spawn(script, ['--port', '0', '--lease-ttl-s', '2', '--berry', process.env.BERRY_BINARY],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const seen = { nodes: {} };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the cluster did not start in 120 s')), 120000);
    child.once('exit', (code) => reject(new Error(`examples/cluster/run exited with ${code}`)));
    lines.on('line', (line) => {
      let m;
      if ((m = /^node (\S+): \S+ \(pid (\d+)/.exec(line))) seen.nodes[m[1]] = Number(m[2]);
      if ((m = /^admin: (\S+) \/ (\S+)/.exec(line))) seen.admin = { email: m[1], password: m[2] };
      if ((m = /^storefront: (http:\/\/\S+?)\/?$/.exec(line))) {
        clearTimeout(timer);
        seen.base = m[1];
        resolve();
      }
    });
  });
  return {
    ...seen,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

let cluster;
let browser;
before(async () => {
  if (missing.length) return;
  cluster = await startCluster();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cluster?.stop();
});

async function clusterApi(token) {
  const res = await fetch(`${cluster.base}/api/v1/cluster`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return res.json();
}

/** The rows of a table on the page: [[th, td, ...], ...]. */
async function rows(table) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

test('the admin page shows the nodes and every shard\'s owner, and follows a node that stops',
  { skip: missing.length ? `${missing.join(', ')} not installed` : false }, async () => {
    const page = await newPage(browser, cluster.base);
    await loginInBrowser(page, cluster.admin);
    const login = await fetch(`${cluster.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cluster.admin),
    });
    const { token } = await login.json();
    const truth = await clusterApi(token);
    assert.equal(truth.nodes.length, 3);

    await page.goto('/admin');
    const region = page.getByRole('region', { name: 'Кластер' });
    const nodes = region.getByRole('table', { name: 'Узлы кластера' });
    const shards = region.getByRole('table', { name: 'Шарды кластера' });
    await nodes.locator('tbody tr').nth(2).waitFor();
    const nodeRows = await rows(nodes);
    assert.deepEqual(nodeRows.map((r) => r[0]).sort(), ['n1', 'n2', 'n3']);
    for (const r of nodeRows) {
      const n = truth.nodes.find((x) => x.name === r[0]);
      assert.equal(r[1], n.http);
      assert.equal(r[2], n.ready ? 'да' : 'нет');
      assert.equal(Number(r[3]), truth.shards.filter((s) => s.owner === r[0]).length);
    }
    const shardRows = await rows(shards);
    assert.equal(shardRows.length, truth.shards.length);
    for (const s of truth.shards) {
      const r = shardRows.find((x) => x[0] === s.id);
      assert.ok(r, `shard ${s.id} is on the page`);
      assert.equal(r[2], s.owner);
      assert.equal(Number(r[3]), s.epoch);
    }
    assert.ok(shardRows.some((r) => r[1] === 'курьеры города'));

    // n1 owns every shard (it started first). It stops: the page, polling,
    // shows its shards with the survivors and no n1 row, without a reload.
    assert.ok(truth.shards.every((s) => s.owner === 'n1'));
    process.kill(cluster.nodes.n1, 'SIGTERM');
    await page.waitForFunction(() => {
      const t = document.querySelector('table[aria-label="Узлы кластера"] tbody');
      return t && t.rows.length === 2 && ![...t.rows].some((tr) => tr.cells[0].textContent.trim() === 'n1');
    }, null, { timeout: 20000 });
    await page.waitForFunction(() => {
      const t = document.querySelector('table[aria-label="Шарды кластера"] tbody');
      return t && t.rows.length > 0 &&
        [...t.rows].every((tr) => ['n2', 'n3'].includes(tr.cells[2].textContent.trim()));
    }, null, { timeout: 20000 });
    const after = await clusterApi(token);
    const afterRows = await rows(shards);
    for (const s of after.shards) {
      const r = afterRows.find((x) => x[0] === s.id);
      assert.equal(r[2], s.owner);
      assert.ok(Number(r[3]) > truth.shards.find((x) => x.id === s.id).epoch, `${s.id} moved at a higher epoch`);
    }
    await page.screenshot({ path: artifact('admin-cluster.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
  });
