// Screenshots of the storefront's main pages at desktop and phone width, for
// the docs and for reviewing a change by eye (not a test):
//   BERRY_BINARY=build/berry node tests/browser/tools/screenshots.mjs DIR
// A shopper registers, fills a cart and pays; the admin opens the stock
// table. Each page is shot at 1280 x 800 and at 390 x 844 as DIR/NAME-WIDTH.png.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, ADMIN } from '../lib/server.mjs';
import { launch, newPage } from '../lib/browser.mjs';
import { registerInBrowser, loginInBrowser, fillCheckout } from '../lib/shop.mjs';

const out = resolve(process.argv[2] || 'screenshots');
mkdirSync(out, { recursive: true });
const sizes = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
const shopper = { name: 'Ольга', email: 'olga@berry.test', password: 'correct-horse' };

const server = await startServer({ timeScale: 60 });
const browser = await launch();
try {
  // The shopper's session: one order on its way, one item left in the cart.
  const setup = await newPage(browser, server.base);
  await registerInBrowser(setup, shopper);
  const [first, second] = (await server.api('GET', '/api/v1/products?q=платье&page_size=2')).body.items;
  for (const p of [first, second]) {
    await setup.goto(`/product/${p.id}`);
    await setup.getByRole('region', { name: 'Покупка' }).getByRole('button', { name: 'В корзину' }).click();
    await setup.getByText('В корзине: 1 шт.').waitFor();
  }
  await setup.goto('/checkout');
  await fillCheckout(setup, /одобрит/);
  await setup.getByRole('button', { name: 'Оплатить' }).click();
  await setup.waitForURL(/\/orders\/o-/);
  const order = new URL(setup.url()).pathname;
  await setup.goto(`/product/${first.id}`);
  await setup.getByRole('region', { name: 'Покупка' }).getByRole('button', { name: 'В корзину' }).click();
  const state = await setup.context().storageState();

  const pages = [
    ['home', '/', '.product-card'],
    ['search', '/search?q=платье', '.product-card'],
    ['product', `/product/${first.id}`, 'h1'],
    ['cart', '/cart', 'h1'],
    ['checkout', '/checkout', 'h1'],
    ['order', order, '.status-badge'],
    ['orders', '/orders', '.order-row'],
  ];
  for (const size of sizes) {
    const page = await newPage(browser, server.base, { viewport: size, storageState: state });
    for (const [name, path, ready] of pages) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      await page.waitForTimeout(300); // images and fonts settle
      await page.screenshot({ path: join(out, `${name}-${size.width}.png`) });
    }
    const admin = await newPage(browser, server.base, { viewport: size });
    await loginInBrowser(admin, ADMIN);
    await admin.goto('/admin');
    await admin.locator('h1').first().waitFor();
    await admin.waitForTimeout(300);
    await admin.screenshot({ path: join(out, `admin-${size.width}.png`) });
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
