// A shopper's orders read in Russian and ask before harm: cancel asks once
// more, the reason reads in words, a cancelled order's map draws no route,
// and customer pages never call the admin-only warehouse list. Every page fits
// a 360 and a 390 px phone. Screenshots of the orders page are saved.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, artifact } from './lib/browser.mjs';
import { registerInBrowser, fillCheckout } from './lib/shop.mjs';

let server;
let browser;
const user = { name: 'Глеб', email: 'gleb@berry.test', password: 'correct-horse' };

before(async () => {
  // Real time: the order waits in the warehouse long enough to be cancelled.
  server = await startServer({ timeScale: 1 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every request the page makes to the admin-only warehouse list. */
function watchWarehouses(page) {
  const seen = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/v1/warehouses')) seen.push(r.url()); });
  return seen;
}

test('cancel asks first, then the order reads cancelled in Russian with no route', async () => {
  const page = await newPage(browser, server.base);
  const warehouseCalls = watchWarehouses(page);
  await registerInBrowser(page, user);
  const product = (await server.api('GET', '/api/v1/products?page_size=1')).body.items[0];
  await page.goto(`/product/${product.id}`);
  const buy = page.getByRole('region', { name: 'Покупка' });
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 1 шт.').waitFor();
  await page.goto('/checkout');
  await fillCheckout(page, /одобрит/);
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await page.waitForURL(/\/orders\/o-/);
  const id = new URL(page.url()).pathname.split('/').pop();
  const token = (await server.api('POST', '/api/v1/auth/login', user)).body.token;
  const status = async () => (await server.api('GET', `/api/v1/orders/${id}`, undefined, token)).body.status;
  // The heading names the order by its short number, not by the opaque id.
  const { number } = (await server.api('GET', `/api/v1/orders/${id}`, undefined, token)).body;
  assert.ok(Number.isInteger(number) && number > 0);
  await page.getByRole('heading', { level: 1, name: `Заказ № ${number}` }).waitFor();

  // One click only asks; «Не отменять» leaves the order as it was.
  await page.getByRole('button', { name: 'Отменить заказ' }).click();
  await page.getByText('Отменить заказ? Деньги вернутся на карту.').waitFor();
  await page.getByRole('button', { name: 'Не отменять' }).click();
  await page.getByRole('button', { name: 'Отменить заказ' }).waitFor();
  assert.notEqual(await status(), 'cancelled');

  await page.getByRole('button', { name: 'Отменить заказ' }).click();
  await page.getByRole('button', { name: 'Да, отменить' }).click();
  await page.getByText('Причина отмены: отменён покупателем').waitFor();
  assert.equal(await status(), 'cancelled');
  assert.doesNotMatch(await page.locator('main').innerText(), /\bcustomer\b/);
  const map = page.getByRole('img', { name: /Карта доставки/ });
  assert.equal(await map.locator('polyline.map-route').count(), 0, 'no route for a cancelled order');

  await page.goto('/orders');
  await page.getByRole('link', { name: new RegExp(`Заказ № ${id}`) }).waitFor();
  await page.getByText('Причина отмены: отменён покупателем').waitFor();
  await page.screenshot({ path: artifact('orders-desktop.png'), fullPage: true });
  assert.deepEqual(warehouseCalls, [], 'customer pages leave /api/v1/warehouses alone');
  assert.deepEqual(page.errors, []);
});

test('home, search, product, cart and orders fit a 360 and a 390 px phone', async () => {
  for (const width of [360, 390]) {
    const page = await newPage(browser, server.base, { viewport: { width, height: 780 } });
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Пароль').fill(user.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const pages = [['/', '.product-card'], ['/search?q=' + encodeURIComponent('платье'), '.product-card'],
      ['/product/p-000001', 'h1'], ['/cart', 'h1'], ['/orders', '.order-row']];
    for (const [url, ready] of pages) {
      await page.goto(url);
      await page.locator(ready).first().waitFor();
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
      assert.ok(scroll <= inner, `${url} at ${width} px: ${scroll} px wide`);
    }
    // The open catalog menu stays on the screen too.
    await page.goto('/');
    await page.getByRole('button', { name: 'Каталог' }).click();
    await page.getByRole('navigation', { name: 'Каталог' }).waitFor();
    const [menuScroll, menuInner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(menuScroll <= menuInner, `the catalog menu at ${width} px: ${menuScroll} px wide`);
    // The header's icons carry their words on a phone too.
    for (const name of ['Заказы', 'Выйти']) {
      const link = page.getByRole('banner').getByRole(name === 'Выйти' ? 'button' : 'link', { name });
      assert.match(await link.innerText(), new RegExp(name), `«${name}» is written, not only an icon`);
    }
    if (width === 360) await page.screenshot({ path: artifact('orders-phone.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('texts keep their spaces and a reversed price range is refused in Russian', async () => {
  const page = await newPage(browser, server.base);
  const text = async () => (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  await page.goto('/login');
  await page.getByRole('link', { name: 'Зарегистрируйтесь' }).waitFor();
  assert.match(await text(), /Нет аккаунта\? Зарегистрируйтесь/);
  await page.goto('/register');
  await page.getByRole('link', { name: 'Войдите' }).waitFor();
  assert.match(await text(), /Уже есть аккаунт\? Войдите/);
  await page.goto('/no-such-page');
  await page.getByRole('link', { name: 'в каталог' }).waitFor();
  assert.match(await text(), /На главную или в каталог/);
  await page.goto('/product/p-000001');
  const buy = page.getByRole('region', { name: 'Покупка' });
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 1 шт.').waitFor();
  assert.match(await buy.innerText(), /1 шт\. Перейти в корзину/);
  await page.goto('/cart');
  await page.getByRole('button', { name: 'Очистить корзину' }).waitFor();
  assert.match(await text(), /нужно войти/);

  await page.goto('/search?q=' + encodeURIComponent('платье'));
  await page.locator('.product-card').first().waitFor();
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('min_price')) asked.push(r.url()); });
  await page.getByLabel('Цена от, ₽').fill('5000');
  await page.getByLabel('Цена до, ₽').fill('1000');
  await page.getByRole('button', { name: 'Применить' }).click();
  await page.getByRole('alert').filter({ hasText: 'Цена «от» больше цены «до»' }).waitFor();
  assert.deepEqual(asked, [], 'the server is not asked');
  assert.doesNotMatch(page.url(), /min_price/);
  assert.deepEqual(page.errors, []);
});
