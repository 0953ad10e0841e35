// The admin sets a stock level on /admin and the product page shows it; the
// admin page draws its charts and the couriers; the storefront fits a phone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN } from './lib/server.mjs';
import { launch, newPage, artifact } from './lib/browser.mjs';
import { loginInBrowser } from './lib/shop.mjs';

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

test('the admin changes a stock level and the product page shows it', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  const list = await server.api('GET', '/api/v1/products?page_size=1&sort=title');
  const product = list.body.items[0];
  const login = await server.api('POST', '/api/v1/auth/login', ADMIN);
  const warehouses = await server.api('GET', '/api/v1/warehouses', undefined, login.body.token);
  const wh = warehouses.body.items[0];
  const before = await server.api('GET', `/api/v1/warehouses/${wh.id}/stock/${product.id}`, undefined, login.body.token);
  const target = before.body.on_hand + 37;

  await page.goto('/admin');
  const stock = page.getByRole('region', { name: 'Остатки по складам' });
  await stock.getByLabel('Товар').fill(product.title);
  await stock.getByRole('button', { name: 'Найти' }).click();
  const cell = stock.getByLabel(`Остаток: ${wh.name} — ${product.title}`);
  await cell.fill(String(target));
  await stock.getByRole('button', { name: 'Сохранить' }).click();
  await stock.getByRole('button', { name: 'Сохранить' }).waitFor({ state: 'detached' });

  const expected = product.available + 37;
  await page.goto(`/product/${product.id}`);
  await page.getByRole('region', { name: 'Покупка' }).getByText(`в наличии ${expected} шт.`).waitFor();
  const now = await server.api('GET', `/api/v1/warehouses/${wh.id}/stock/${product.id}`, undefined, login.body.token);
  assert.equal(now.body.on_hand, target);
  assert.deepEqual(page.errors, []);
});

test('the admin stock cell refuses empty and huge values; «доступно» follows a save', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  const product = (await server.api('GET', '/api/v1/products?page_size=1&sort=title&page=2')).body.items[0];
  const login = await server.api('POST', '/api/v1/auth/login', ADMIN);
  const wh = (await server.api('GET', '/api/v1/warehouses', undefined, login.body.token)).body.items[0];
  const level = async () => (await server.api('GET', `/api/v1/warehouses/${wh.id}/stock/${product.id}`,
    undefined, login.body.token)).body.on_hand;
  const before = await level();

  await page.goto('/admin');
  const stock = page.getByRole('region', { name: 'Остатки по складам' });
  await stock.getByLabel('Товар').fill(product.title);
  await stock.getByRole('button', { name: 'Найти' }).click();
  const cell = stock.getByLabel(`Остаток: ${wh.name} — ${product.title}`);
  const row = stock.getByRole('row').filter({ has: page.getByLabel(`Остаток: ${wh.name} — ${product.title}`) });
  await row.getByText(`доступно ${product.available}`).waitFor();
  for (const [entry, message] of [['', 'Введите остаток'], ['10000001', 'от 0 до 10 000 000']]) {
    await cell.fill(entry);
    await row.getByRole('button', { name: 'Сохранить' }).click();
    await row.getByRole('alert').filter({ hasText: message }).waitFor();
    assert.equal(await cell.getAttribute('aria-invalid'), 'true');
    assert.equal(await level(), before, `«${entry}» is not saved`);
  }
  await cell.fill(String(before + 5));
  await row.getByRole('button', { name: 'Сохранить' }).click();
  await row.getByText(`доступно ${product.available + 5}`).waitFor();
  assert.equal(await row.getByRole('alert').count(), 0);
  assert.equal(await level(), before + 5);
  assert.deepEqual(page.errors, []);
});

test('the admin page draws live charts and every courier on the map', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  await page.goto('/admin');
  await page.getByRole('heading', { name: 'Показатели в реальном времени' }).waitFor();
  const map = page.getByRole('img', { name: /Карта/ }).first();
  await map.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.map-courier.small').length >= 40);
  await page.screenshot({ path: artifact('admin.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('the shop and the docs fit a phone-width screen', async () => {
  const page = await newPage(browser, server.base, { viewport: { width: 375, height: 740 }, isMobile: true });
  const pages = [['/', '.product-card'], ['/search?q=%D1%87%D0%B0%D0%B9%D0%BD%D0%B8%D0%BA', '.product-card'],
    ['/product/p-000001', 'h1'], ['/docs', '.op']];
  for (const [url, ready] of pages) {
    await page.goto(url);
    await page.locator(ready).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${url}: no horizontal scrolling (overflow ${overflow}px)`);
    assert.equal(await page.evaluate(() => window.innerWidth), 375, `${url}: laid out for the phone`);
  }
  await page.goto('/');
  await page.locator('.product-card').first().waitFor();
  await page.screenshot({ path: artifact('home-phone.png'), fullPage: false });
  assert.deepEqual(page.errors, []);
});

test('on a single node the admin page says it runs without a cluster', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  await page.goto('/admin');
  const region = page.getByRole('region', { name: 'Кластер' });
  await region.getByText('Один узел: сервер запущен без etcd').waitFor();
  assert.equal(await region.getByRole('table').count(), 0);
  assert.deepEqual(page.errors, []);
});
