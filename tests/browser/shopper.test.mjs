// A shopper's whole way: register, search in Russian, two products into the
// cart, check out with the approving card, and watch the tracking page until
// the courier has delivered. A screenshot of the tracking page is saved.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, artifact } from './lib/browser.mjs';
import { registerInBrowser, fillCheckout } from './lib/shop.mjs';

let server;
let browser;

/** Roubles in a text as the shopper reads it ("20 890 ₽" -> 20890). */
const roubles = (text) => Number(text.replace(/[^\d,]/g, '').replace(',', '.'));

before(async () => {
  server = await startServer({ timeScale: 1000 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('register, search, add two products, pay and watch the delivery', async () => {
  const page = await newPage(browser, server.base);
  await registerInBrowser(page, { name: 'Анна', email: 'anna@berry.test', password: 'correct-horse' });

  // Search in Russian from the header.
  await page.getByRole('searchbox', { name: 'Поиск' }).or(page.getByLabel('Поиск')).first().fill('платье');
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.waitForURL(/\/search\?/);
  const addButtons = page.getByRole('button', { name: /^В корзину:/ });
  await addButtons.first().waitFor();
  assert.ok(await addButtons.count() >= 2, 'at least two results to buy');
  const titles = [];
  const prices = [];
  for (const i of [0, 1]) {
    const b = addButtons.nth(i);
    titles.push((await b.getAttribute('aria-label')).replace(/^В корзину:\s*/, ''));
    prices.push(await b.locator('xpath=ancestor::article').locator('.price').innerText());
    await b.click();
  }
  await page.getByRole('link', { name: /^Корзина, 2 товара/ }).waitFor();
  await page.getByRole('link', { name: /^Корзина/ }).click();
  for (const t of titles) await page.getByText(t, { exact: false }).first().waitFor();
  // The total is the sum of the two prices, in roubles as ru-RU writes them.
  const total = (await page.getByRole('complementary', { name: 'Итого' })
    .locator('.price').innerText()).trim();
  assert.match(total, /^\d{1,3}(\s\d{3})*\s₽$/u, `a ru-RU rouble amount: ${total}`);
  assert.equal(roubles(total), roubles(prices[0]) + roubles(prices[1]));

  await page.getByRole('button', { name: 'Оформить заказ' }).click();
  await page.waitForURL(/\/checkout/);
  await fillCheckout(page, /одобрит/);
  await page.getByRole('button', { name: 'Оплатить' }).click();

  // The tracking page: live statuses until delivered.
  await page.waitForURL(/\/orders\/o-/);
  const timeline = page.getByRole('list', { name: 'Статус заказа' });
  await timeline.waitFor();
  // Every position the courier marker takes on the map, as the page draws it.
  await page.evaluate(() => {
    window.courierPositions = new Set();
    setInterval(() => {
      const g = document.querySelector('.map-courier:not(.small)');
      if (g) window.courierPositions.add(g.getAttribute('transform'));
    }, 5);
  });
  await page.getByText('Курьер приедет через').waitFor({ timeout: 30000 });
  await page.screenshot({ path: artifact('tracking-on-the-way.png'), fullPage: true });
  await timeline.locator('[aria-current="step"]', { hasText: 'Доставлен' }).waitFor({ timeout: 60000 });
  // The courier moved across the map live, not just from start to door.
  const positions = await page.evaluate(() => window.courierPositions.size);
  assert.ok(positions >= 5, `the courier was drawn at ${positions} places`);
  const shot = artifact('tracking-delivered.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);

  // What the page shows is what the server says.
  const id = new URL(page.url()).pathname.split('/').pop();
  const login = await server.api('POST', '/api/v1/auth/login', { email: 'anna@berry.test', password: 'correct-horse' });
  const order = await server.api('GET', `/api/v1/orders/${id}`, undefined, login.body.token);
  assert.equal(order.body.status, 'delivered');
  assert.equal(order.body.lines.length, 2);
  await page.getByRole('button', { name: 'Вернуть заказ' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('search sorts cheapest first across pages and a price cap filters', async () => {
  const page = await newPage(browser, server.base);
  await page.goto('/search?q=' + encodeURIComponent('платье'));
  const results = page.getByRole('region', { name: /^Найдено/ });
  await results.getByRole('article').first().waitFor();
  // Prices as the shopper reads them ("1 234 ₽"), in roubles.
  const prices = async () => {
    await page.locator('[aria-busy="false"]').getByRole('article').first().waitFor();
    const texts = await results.getByRole('article').locator('.price').allInnerTexts();
    return texts.map(roubles);
  };
  const ascending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);

  await page.getByLabel('Сортировка').selectOption({ label: 'Сначала дешёвые' });
  await page.waitForURL(/sort=price_asc/);
  const first = await prices();
  assert.equal(first.length, 20, 'a full first page');
  assert.ok(ascending(first), `page 1 ascending: ${first}`);
  await page.getByRole('navigation', { name: 'Страницы' }).getByRole('link', { name: 'Вперёд →' }).click();
  await page.waitForURL(/page=2/);
  await page.getByRole('navigation', { name: 'Страницы' }).locator('[aria-current="page"]', { hasText: '2' }).waitFor();
  const second = await prices();
  assert.ok(second.length > 0 && ascending(second), `page 2 ascending: ${second}`);
  assert.ok(second[0] >= first[first.length - 1], 'page 2 goes on where page 1 ended');

  // At most 1 000 ₽: every card shown costs no more.
  await page.getByLabel('Цена до, ₽').fill('1000');
  await page.getByRole('button', { name: 'Применить' }).click();
  await page.waitForURL(/max_price=100000/);
  const capped = await prices();
  assert.ok(capped.length > 0 && capped.every((p) => p <= 1000), `all at most 1000: ${capped}`);
  assert.ok(ascending(capped), 'the sort survives the filter');
  assert.deepEqual(page.errors, []);
});
