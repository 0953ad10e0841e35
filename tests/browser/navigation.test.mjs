// Finding one's way: on a phone the search filters wait behind a «Фильтры»
// button; Back from a product returns to the same place in the list; a page
// number past the end says so instead of «Найдено N» beside «Ничего не
// нашлось». A screenshot of the search page on a phone is saved.

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

const phone = { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true };
const firstCard = (page) => page.getByRole('button', { name: /^В корзину:/ }).first();

test('on a phone the filters open from a button; on a desktop they are shown', async () => {
  const page = await newPage(browser, server.base, phone);
  await page.goto('/search');
  await firstCard(page).waitFor();
  const toggle = page.getByRole('button', { name: /^Фильтры/ });
  const category = page.getByLabel('Категория');
  assert.equal(await toggle.isVisible(), true, 'the button is there');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await category.isVisible(), false, 'the filters are closed');
  // The first results are in the first screen, not below the filters.
  const top = (await firstCard(page).boundingBox()).y;
  assert.ok(top < 800, `the first card's button is at ${top} px`);

  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await category.waitFor({ state: 'visible' });
  await page.screenshot({ path: artifact('search-filters-phone.png') });
  await page.getByLabel('Цена до, ₽').fill('500');
  await page.getByRole('button', { name: 'Применить' }).click();
  await page.waitForURL(/max_price=50000/);
  assert.equal(await category.isVisible(), false, 'applying closes them');
  assert.match(await toggle.textContent(), /Фильтры \(1\)/, 'the button counts active filters');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const desk = await newPage(browser, server.base, { viewport: { width: 1280, height: 900 } });
  await desk.goto('/search');
  await firstCard(desk).waitFor();
  assert.equal(await desk.getByLabel('Категория').isVisible(), true);
  assert.equal(await desk.getByRole('button', { name: /^Фильтры/ }).isVisible(), false);
  await desk.context().close();
});

test('Back from a product returns to the same place in the list', async () => {
  const page = await newPage(browser, server.base, phone);
  await page.goto('/search');
  await firstCard(page).waitFor();
  const link = page.locator('.product-card h3 a').nth(14);
  const title = await link.textContent();
  await link.scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  assert.ok(before > 1000, `scrolled down to ${before} px`);

  await link.click();
  await page.waitForURL(/\/product\//);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.ok(await page.evaluate(() => window.scrollY) < 50, 'the product opens at its top');

  await page.goBack();
  await page.waitForURL(/\/search/);
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, before, { timeout: 5000 });
  assert.equal(await page.locator('.product-card h3 a').nth(14).isVisible(), true,
    'the product is on screen again');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a page past the end says there is no such page, and links back', async () => {
  const page = await newPage(browser, server.base);
  await page.goto('/search?page=99');
  const status = page.locator('#res-h');
  await page.getByText('Страницы 99 нет').waitFor();
  const all = await page.locator('main').textContent();
  assert.doesNotMatch(all, /Ничего не нашлось/);
  assert.doesNotMatch(await status.textContent(), /Найдено/);
  assert.match(await status.textContent(), /На странице 99 товаров нет/);
  const last = page.getByRole('link', { name: /^К последней странице/ });
  const n = Number((await last.textContent()).match(/\((\d+)\)/)[1]);
  await last.click();
  await page.waitForURL(new RegExp(`page=${n}$`));
  await firstCard(page).waitFor();
  assert.match(await status.textContent(), /^Найдено \d+ товар/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
