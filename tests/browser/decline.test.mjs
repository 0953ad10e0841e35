// When checkout fails the shopper reads why, in words, and loses nothing: a
// declined card keeps the cart exactly as it was; a product sold out in the
// meantime says so.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { registerInBrowser, fillCheckout } from './lib/shop.mjs';

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

test('a declined card shows the decline and keeps the cart', async () => {
  const page = await newPage(browser, server.base);
  const user = { name: 'Борис', email: 'boris@berry.test', password: 'correct-horse' };
  await registerInBrowser(page, user);
  // Two of one product from its page.
  const list = await server.api('GET', '/api/v1/products?page_size=1');
  const product = list.body.items[0];
  await page.goto(`/product/${product.id}`);
  const buy = page.getByRole('region', { name: 'Покупка' });
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 1 шт.').waitFor();
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 2 шт.').waitFor();

  await page.goto('/checkout');
  await fillCheckout(page, /отклонит/);
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /отклон/i, `the message says the card was declined: ${text}`);
  assert.doesNotMatch(text, /[{}]|payment-declined/, 'no raw JSON or slugs');
  assert.match(page.url(), /\/checkout$/);

  // The cart: same product, same quantity, in the page and on the server.
  await page.goto('/cart');
  await page.getByRole('link', { name: product.title }).first().waitFor();
  const qty = page.getByRole('textbox', { name: `Количество: ${product.title}` });
  assert.equal(await qty.inputValue(), '2');
  const login = await server.api('POST', '/api/v1/auth/login', { email: user.email, password: user.password });
  const cart = await server.api('GET', '/api/v1/cart', undefined, login.body.token);
  assert.deepEqual(cart.body.lines.map((l) => [l.product_id, l.qty]), [[product.id, 2]]);
  // Nothing was sold.
  const after = await server.api('GET', `/api/v1/products/${product.id}`);
  assert.equal(after.body.available, product.available);
  assert.deepEqual(page.errors, []);
});

test('a product sold out before payment says so in words', async () => {
  const page = await newPage(browser, server.base);
  await registerInBrowser(page, { name: 'Вера', email: 'vera@berry.test', password: 'correct-horse' });
  const list = await server.api('GET', '/api/v1/products?page_size=1&page=3');
  const product = list.body.items[0];
  await page.goto(`/product/${product.id}`);
  const buy = page.getByRole('region', { name: 'Покупка' });
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 1 шт.').waitFor();
  // Meanwhile every unit is sold elsewhere: the admin empties the shelves.
  const admin = await server.api('POST', '/api/v1/auth/login', ADMIN);
  const warehouses = await server.api('GET', '/api/v1/warehouses', undefined, admin.body.token);
  for (const w of warehouses.body.items) {
    const r = await server.api('PUT', `/api/v1/warehouses/${w.id}/stock/${product.id}`, { on_hand: 0 }, admin.body.token);
    assert.equal(r.status, 200);
  }
  await page.goto('/checkout');
  await fillCheckout(page, /одобрит/);
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /нет в нужном количестве/i, `the message says it is sold out: ${text}`);
  assert.doesNotMatch(text, /[{}]|out-of-stock/, 'no raw JSON or slugs');
  const orders = await server.api('POST', '/api/v1/auth/login', { email: 'vera@berry.test', password: 'correct-horse' })
    .then((l) => server.api('GET', '/api/v1/orders?include_unpaid=true', undefined, l.body.token));
  assert.equal(orders.body.items[0].status, 'cancelled');
  assert.equal(orders.body.items[0].cancel_reason, 'out-of-stock');
  assert.deepEqual(page.errors, []);
});
