// «Популярные товары» on the home page come from real sales: after paid
// orders the most sold product is first, the next one second; a cancelled
// order does not count.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, artifact } from './lib/browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ timeScale: 1000 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

let keys = 0;
async function buy(token, lines, card = 'tok_ok') {
  const res = await fetch(`${server.base}/api/v1/checkout`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': `popular-${++keys}`,
    },
    body: JSON.stringify({
      lines,
      address: { lat: 55.7601, lon: 37.6186, text: 'Москва, Тверская ул., 1' },
      payment: { method: 'card', token: card },
    }),
  });
  return { status: res.status, body: await res.json() };
}

test('the most sold products lead «Популярные товары»', async () => {
  const reg = await server.api('POST', '/api/v1/auth/register',
    { name: 'Лида', email: 'lida@berry.test', password: 'correct-horse' });
  const token = reg.body.token;
  const list = await server.api('GET', '/api/v1/products?page=3&page_size=20');
  const [a, b, c] = list.body.items.filter((p) => p.available >= 10);
  assert.ok(a && b && c, 'three products in stock');

  assert.equal((await buy(token, [{ product_id: b.id, qty: 2 }])).status, 201);
  assert.equal((await buy(token, [{ product_id: a.id, qty: 3 }])).status, 201);
  assert.equal((await buy(token, [{ product_id: a.id, qty: 1 }, { product_id: b.id, qty: 1 }])).status, 201);
  // A declined card sells nothing.
  assert.notEqual((await buy(token, [{ product_id: c.id, qty: 9 }], 'tok_decline')).status, 201);

  const page = await newPage(browser, server.base);
  await page.goto('/');
  const section = page.getByRole('region', { name: 'Популярные товары' });
  const titles = section.locator('.product-card h3');
  await titles.first().waitFor();
  assert.equal(await titles.nth(0).textContent(), a.title, 'four sold first');
  assert.equal(await titles.nth(1).textContent(), b.title, 'three sold second');
  assert.notEqual(await titles.nth(2).textContent(), c.title, 'a declined order sells nothing');
  // Each card has a drawn picture, not letters.
  assert.equal(await section.locator('.product-card .tile svg path').count() >= 12, true);
  await page.screenshot({ path: artifact('home-popular.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
