// One cart, one order: a shopper who reloads the page while a slow bank is
// still paying and presses «Оплатить» again is told the payment is being
// processed, then sees the one order; nothing is charged twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { registerInBrowser, fillCheckout, addToCartInBrowser } from './lib/shop.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a reload during a slow payment makes exactly one paid order and shows it', async () => {
  const page = await newPage(browser, server.base);
  const user = { name: 'Жанна', email: 'zhanna@berry.test', password: 'correct-horse' };
  await registerInBrowser(page, user);
  const product = (await server.api('GET', '/api/v1/products?page_size=1&page=2')).body.items[0];
  await addToCartInBrowser(page, product);

  await page.goto('/checkout');
  await fillCheckout(page, /медленный/);
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/checkout') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await sent;
  // Within half a second of paying, before the slow bank (2 s) answers.
  await page.waitForTimeout(200);
  await page.reload();
  await page.getByRole('status').filter({ hasText: 'Оплата обрабатывается…' }).waitFor();
  // The shopper presses «Оплатить» again (the page may hold it back).
  await page.getByRole('button', { name: 'Оплатить' }).click({ force: true, timeout: 2000 });

  await page.waitForURL(/\/orders\/o-/, { timeout: 20000 });
  const id = new URL(page.url()).pathname.split('/').pop();
  const token = (await server.api('POST', '/api/v1/auth/login', user)).body.token;
  const paid = async () => {
    const all = await server.api('GET', '/api/v1/orders?include_unpaid=true', undefined, token);
    return all.body.items;
  };
  // Whatever is still running ends; then there is one order, paid.
  for (let i = 0; i < 100; i++) {
    const items = await paid();
    if (items.every((o) => !['pending', 'reserved'].includes(o.status))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const items = await paid();
  assert.deepEqual(items.map((o) => [o.id, o.status === 'cancelled' ? 'cancelled' : 'paid or later']),
    [[id, 'paid or later']], 'one order, the one the page shows');
  await page.waitForURL(new RegExp(`/orders/${id}$`));
  await page.getByRole('heading', { level: 1, name: `Заказ № ${items[0].number}` }).waitFor();
  const after = await server.api('GET', `/api/v1/products/${product.id}`);
  assert.equal(after.body.available, product.available - 1, 'one unit sold');
  assert.deepEqual(page.errors, []);
});
