// The cart's quantity field never deletes a line: an empty or invalid entry is
// marked invalid (in Russian) and the line stays; a cut quantity says why;
// removal is its own button and «Вернуть» brings a line back, also after
// «Очистить корзину». Screenshots of the cart on desktop and phone are saved.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, artifact } from './lib/browser.mjs';
import { registerInBrowser } from './lib/shop.mjs';

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

/** Puts the first two results of a search into the cart; returns their titles. */
async function fillCart(page) {
  await page.goto('/search?q=' + encodeURIComponent('платье'));
  const add = page.getByRole('button', { name: /^В корзину:/ });
  await add.first().waitFor();
  const titles = [];
  for (const i of [0, 1]) {
    titles.push((await add.nth(i).getAttribute('aria-label')).replace(/^В корзину:\s*/, ''));
    await add.nth(i).click();
  }
  await page.getByRole('link', { name: /^Корзина, 2 товара/ }).waitFor();
  await page.getByRole('link', { name: /^Корзина/ }).click();
  await page.waitForURL(/\/cart/);
  return titles;
}

test('the quantity field keeps the line; removal and clearing can be undone', async () => {
  const page = await newPage(browser, server.base);
  await registerInBrowser(page, { name: 'Вера', email: 'vera@berry.test', password: 'correct-horse' });
  const [first, second] = await fillCart(page);
  const field = page.getByRole('textbox', { name: `Количество: ${first}`, exact: true });
  const removeFirst = page.getByRole('button', { name: `Удалить: ${first}` });

  for (const entry of ['', 'abc', '0']) {
    await field.fill(entry);
    await field.blur();
    await page.getByText('Введите количество от 1 до').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true', `«${entry}» is invalid`);
    assert.equal(await removeFirst.count(), 1, `«${entry}» keeps the line`);
  }
  const server1 = await server.api('GET', '/api/v1/cart', undefined,
    (await server.api('POST', '/api/v1/auth/login', { email: 'vera@berry.test', password: 'correct-horse' })).body.token);
  assert.equal(server1.body.lines.length, 2, 'the server cart still has both lines');

  // Too many: cut to the limit, and the page says why.
  await field.fill('100');
  await field.press('Enter');
  await page.getByText(/Количество уменьшено до \d+: (в наличии только|не больше 99)/).waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'false');
  await page.waitForFunction((el) => el.value !== '100' && !el.disabled, await field.elementHandle());
  const cut = Number(await field.inputValue());
  assert.ok(cut >= 1 && cut <= 99, `cut to ${cut}`);

  // Removal is its own button, and «Вернуть» brings the line back as it was.
  await removeFirst.click();
  const restore = page.getByRole('button', { name: `Вернуть: ${first}` });
  await restore.waitFor();
  assert.equal(await field.count(), 0, 'the line is gone');
  await restore.click();
  await field.waitFor();
  assert.equal(Number(await field.inputValue()), cut);
  assert.equal(await restore.count(), 0);

  // «Очистить корзину» can be undone too.
  await page.getByRole('button', { name: 'Очистить корзину' }).click();
  await page.getByText('В корзине пока пусто.').waitFor();
  await page.getByRole('button', { name: `Вернуть: ${second}` }).waitFor();
  await page.getByRole('button', { name: 'Вернуть всё' }).click();
  await page.getByRole('textbox', { name: `Количество: ${first}`, exact: true }).waitFor();
  await page.getByRole('textbox', { name: `Количество: ${second}`, exact: true }).waitFor();
  assert.equal(Number(await page.getByRole('textbox', { name: `Количество: ${first}`, exact: true }).inputValue()), cut);
  // No words glued together by the template.
  assert.doesNotMatch(await page.locator('main').innerText(), /нужновойти/);
  await page.screenshot({ path: artifact('cart-desktop.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('the cart on a phone fits the screen', async () => {
  for (const width of [360, 390]) {
    const page = await newPage(browser, server.base, { viewport: { width, height: 780 } });
    await fillCart(page);
    await page.getByRole('textbox', { name: /^Количество:/ }).first().fill('');
    await page.getByRole('textbox', { name: /^Количество:/ }).first().blur();
    await page.getByText('Введите количество от 1 до').waitFor();
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(scroll <= inner, `at ${width} px the cart is ${scroll} px wide`);
    if (width === 360) await page.screenshot({ path: artifact('cart-phone.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('two quick additions both count, whichever answer would come first', async () => {
  const page = await newPage(browser, server.base);
  await registerInBrowser(page, { name: 'Лиза', email: 'liza@berry.test', password: 'correct-horse' });
  await page.goto('/search?q=' + encodeURIComponent('платье'));
  const add = page.getByRole('button', { name: /^В корзину:/ });
  await add.first().waitFor();
  // Every count the header shows, in order (the header may be drawn anew,
  // so the whole document is watched).
  await page.evaluate(() => {
    window.cartCounts = [];
    const note = () => {
      const a = document.querySelector('a[aria-label^="Корзина"]');
      const label = a?.getAttribute('aria-label');
      if (label && label !== window.cartCounts.at(-1)) window.cartCounts.push(label);
    };
    new MutationObserver(note).observe(document.body,
      { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  });
  // The first addition's answer (the cart with one line) is held back: a
  // page that sent both additions at once gets the two-line cart first and
  // the one-line cart last, and shows the older one.
  let releaseFirst;
  const firstHeld = new Promise((resolve) => { releaseFirst = resolve; });
  let puts = 0;
  await page.route('**/api/v1/cart/lines/**', async (route) => {
    const n = ++puts;
    const response = await route.fetch();
    if (n === 1) await firstHeld;
    await route.fulfill({ response });
  });
  await add.nth(0).click();
  await add.nth(1).click();
  // A racing page has sent the second PUT by now and may get its answer
  // while the first is held; the page under test waits for the first. The
  // pause only gives a racing page that chance: the check below does not
  // depend on it.
  await page.waitForTimeout(300);
  releaseFirst();
  // Both carts have been shown (one line and two lines, in either order):
  // the last one shown must be the two-line cart.
  await page.waitForFunction(() => window.cartCounts.some((c) => /, 1 товар$/.test(c)) &&
    window.cartCounts.some((c) => /, 2 товара$/.test(c)));
  const shown = await page.evaluate(() => window.cartCounts);
  assert.match(shown.at(-1), /^Корзина, 2 товара/, `counts shown: ${shown.join(' -> ')}`);
  assert.equal(puts, 2);
  await page.unroute('**/api/v1/cart/lines/**');
});
