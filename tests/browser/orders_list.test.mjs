// «Мои заказы» a page at a time: each order with its short number beside its
// id and the names of its products; unpaid orders (a declined card) only
// when the shopper asks for them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { loginInBrowser } from './lib/shop.mjs';

let server;
let browser;
before(async () => {
  // Thirteen checkouts of one user at once: over the per-user rate limit.
  server = await startServer({ extra: ['--rate-limits', 'off'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Checks out one unit of `productId` with `card`; the HTTP status. */
async function buy(token, key, productId, card) {
  const res = await fetch(`${server.base}/api/v1/checkout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
    body: JSON.stringify({ lines: [{ product_id: productId, qty: 1 }],
      address: { lat: 55.7601, lon: 37.6186, text: 'Тверская улица, 1' },
      payment: { method: 'card', token: card } }),
  });
  return res.status;
}

test('orders come ten to a page with numbers and product names; unpaid ones on request', async () => {
  const user = { name: 'Лиза', email: 'liza@berry.test', password: 'correct-horse' };
  const token = (await server.api('POST', '/api/v1/auth/register', user)).body.token;
  const products = (await server.api('GET', '/api/v1/products?page_size=12&page=2')).body.items;
  assert.equal(await buy(token, 'declined', products[0].id, 'tok_decline'), 402);
  for (const [i, p] of products.entries()) assert.equal(await buy(token, `k${i}`, p.id, 'tok_ok'), 201);

  const page = await newPage(browser, server.base);
  await loginInBrowser(page, user);
  await page.goto('/orders');
  const rows = page.locator('.order-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 10);
  assert.match(await page.locator('main').innerText(), /12 заказов/);
  // The newest first: the last product bought, by name, and its number.
  const listed = (await server.api('GET', '/api/v1/orders?page_size=1', undefined, token)).body.items[0];
  const first = rows.first();
  assert.match(await first.innerText(), new RegExp(`№ ${listed.number}\\b`));
  assert.match(await first.innerText(), new RegExp(listed.id));
  assert.ok((await first.innerText()).includes(products[11].title), 'the product is named');

  await page.getByRole('navigation', { name: 'Страницы' }).getByRole('link', { name: 'Страница 2' }).click();
  await page.waitForURL(/page=2/);
  const rowsAre = (n) => page.waitForFunction((k) => document.querySelectorAll('.order-row').length === k, n);
  await rowsAre(2);
  assert.doesNotMatch(await page.locator('main').innerText(), /Причина отмены/);

  await page.getByLabel(/Показать неоплаченные/).check();
  await page.waitForURL(/unpaid=1/);
  await page.getByText('13 заказов').waitFor();
  await page.getByRole('navigation', { name: 'Страницы' }).getByRole('link', { name: 'Страница 2' }).click();
  await rowsAre(3);
  await page.getByText(/Причина отмены/).waitFor();
  assert.deepEqual(page.errors, []);
});
