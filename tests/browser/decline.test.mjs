// A declined card: the shopper reads why, and the cart is exactly as it was.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
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
