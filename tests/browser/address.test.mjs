// A real address at checkout: a typed street offers its houses, a click on
// the map takes the nearest house, and a second click moves the pin and the
// text together, so the order never says one place and shows another.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { registerInBrowser, addToCartInBrowser } from './lib/shop.mjs';

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

/** Clicks the checkout map where it draws {lat, lon}. */
async function clickMap(page, lat, lon) {
  const map = page.getByRole('img', { name: /Карта Москвы/ });
  const [x, y] = await map.evaluate((svg, p) => {
    const kmLat = 110.57;
    const kmLon = 111.32 * Math.cos((55.7558 * Math.PI) / 180);
    const pt = svg.createSVGPoint();
    pt.x = (p.lon - 37.6173) * kmLon * 10;
    pt.y = -(p.lat - 55.7558) * kmLat * 10;
    const s = pt.matrixTransform(svg.getScreenCTM());
    return [s.x, s.y];
  }, { lat, lon });
  await page.mouse.click(x, y);
}

/** The pin's place in map units and the coordinates the form holds. */
async function pinAndFields(page) {
  const pin = await page.locator('g.map-dest').getAttribute('transform');
  const [px, py] = /translate\(([-\d.e]+) ([-\d.e]+)\)/.exec(pin).slice(1).map(Number);
  const lat = Number(await page.getByLabel('Широта').inputValue());
  const lon = Number(await page.getByLabel('Долгота').inputValue());
  const kmLon = 111.32 * Math.cos((55.7558 * Math.PI) / 180);
  return { px, py, x: (lon - 37.6173) * kmLon * 10, y: -(lat - 55.7558) * 110.57 * 10, lat, lon };
}

test('two clicks on the map: the text follows the second pin', async () => {
  const page = await newPage(browser, server.base);
  await registerInBrowser(page, { name: 'Эля', email: 'elya@berry.test', password: 'correct-horse' });
  const product = (await server.api('GET', '/api/v1/products?page_size=1&page=4')).body.items[0];
  await addToCartInBrowser(page, product);
  await page.goto('/checkout');
  const text = page.getByLabel('Адрес');

  await clickMap(page, 55.7655, 37.6045); // near Пушкинская
  await page.waitForFunction(() => document.querySelector('#addr-text').value !== '');
  const first = await text.inputValue();
  await clickMap(page, 55.7075, 37.5855); // Ленинский проспект
  await page.waitForFunction((t) => document.querySelector('#addr-text').value !== t, first);
  const second = await text.inputValue();
  assert.notEqual(second, first);
  assert.match(second, /^[А-ЯЁа-яё -]+, \d+$/, `a street and a house: ${second}`);

  // The text names the house the pin stands on.
  const at = await pinAndFields(page);
  assert.ok(Math.abs(at.px - at.x) < 0.01 && Math.abs(at.py - at.y) < 0.01, 'pin and fields agree');
  const house = (await server.api('GET', `/api/v1/addresses/nearest?lat=${at.lat}&lon=${at.lon}`)).body;
  assert.equal(house.text, second);

  // Typing offers houses; choosing one moves the pin there.
  await text.fill('Тверская 1');
  await page.getByRole('option', { name: 'Тверская улица, 12' }).click();
  assert.equal(await text.inputValue(), 'Тверская улица, 12');
  const typed = await pinAndFields(page);
  const tverskaya = (await server.api('GET', `/api/v1/addresses/nearest?lat=${typed.lat}&lon=${typed.lon}`)).body;
  assert.equal(tverskaya.text, 'Тверская улица, 12');

  assert.deepEqual(page.errors, []);
});
