// The storefront on a large catalog: 30,000 products from `berry seed`,
// loaded with `berry import` before the server starts. Search and a category
// page show the count the API gives, sorted pages go on where the last one
// ended, and a deep page of a category is there and in order.
//
// By hand at another size: BERRY_LARGE_PRODUCTS=N seeds and imports N, or
// BERRY_LARGE_DATA=DIR serves a data dir imported before (say with a
// million products; it is left as it was found, and the server may take
// BERRY_LARGE_START_S seconds to start, 600 by default). Each test prints
// what it saw and how long the storefront took.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { startServer, freshDataDir } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';

const GIVEN = process.env.BERRY_LARGE_DATA;
const PRODUCTS = Number(process.env.BERRY_LARGE_PRODUCTS ?? 30000);
let server;
let browser;

/** Milliseconds since `t0`, for the lines the tests print. */
const since = (t0) => `${Math.round(performance.now() - t0)} ms`;

before(async () => {
  if (GIVEN) {
    const t0 = performance.now();
    server = await startServer({ data: GIVEN, keep: true,
      startSeconds: Number(process.env.BERRY_LARGE_START_S ?? 600) });
    console.log(`# served ${GIVEN}: listening after ${since(t0)}`);
    // A large catalog's search index is made after the node is ready
    // (SQLite answers searches meanwhile, with a capped total): the gauge
    // berry_search_index_products says when it is there.
    const t1 = performance.now();
    for (;;) {
      const gauge = /^berry_search_index_products (\S+)/m.exec(
        await (await fetch(server.base + '/metrics')).text());
      if (!gauge || Number(gauge[1]) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`# search index made ${since(t1)} later`);
    browser = await launch();
    return;
  }
  const binary = process.env.BERRY_BINARY;
  const data = freshDataDir();
  const lines = join(data, 'catalog.jsonl');
  execFileSync(binary, ['seed', '--products', String(PRODUCTS), '--out', lines]);
  const out = execFileSync(binary, ['import', '--data', join(data, 'store'), lines],
    { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  assert.match(out, new RegExp(`imported ${PRODUCTS} products \\(0 skipped\\)`));
  server = await startServer({ data: join(data, 'store') });
  server.parent = data;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (server?.parent) rmSync(server.parent, { recursive: true, force: true });
});

const roubles = (text) => Number(text.replace(/[^\d,]/g, '').replace(',', '.'));
const ascending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);

/** The prices of the cards on the page, once the results are in. */
async function prices(page) {
  const results = page.getByRole('region', { name: /^Найдено/ });
  await page.locator('[aria-busy="false"]').getByRole('article').first().waitFor();
  return (await results.getByRole('article').locator('.price').allInnerTexts()).map(roubles);
}

test('a search over a large catalog shows the whole count and pages in price order', async () => {
  const api = await server.api('GET', '/api/v1/products?q=' + encodeURIComponent('платье'));
  assert.equal(api.status, 200);
  assert.ok(api.body.total > 500, `many dresses: ${api.body.total}`);
  const page = await newPage(browser, server.base);
  const t0 = performance.now();
  await page.goto('/search?q=' + encodeURIComponent('платье') + '&sort=price_asc');
  await page.getByRole('region', { name: new RegExp(`^Найдено ${api.body.total} `) }).waitFor();
  const first = await prices(page);
  console.log(`# «платье» by price: Найдено ${api.body.total}, page 1 shown after ${since(t0)}: ${first.slice(0, 3)}...`);
  const t1 = performance.now();
  assert.equal(first.length, 20);
  assert.ok(ascending(first), `page 1 ascending: ${first}`);
  await page.getByRole('navigation', { name: 'Страницы' }).getByRole('link', { name: 'Вперёд →' }).click();
  await page.waitForURL(/page=2/);
  await page.getByRole('navigation', { name: 'Страницы' }).locator('[aria-current="page"]', { hasText: '2' }).waitFor();
  const second = await prices(page);
  assert.ok(second.length === 20 && ascending(second), `page 2 ascending: ${second}`);
  assert.ok(second[0] >= first[first.length - 1], 'page 2 goes on where page 1 ended');
  console.log(`# page 2 shown after ${since(t1)}: ${second[0]} >= ${first.at(-1)}`);
  assert.deepEqual(page.errors, []);
});

test('a deep page of a large category is there, in order, after the page before it', async () => {
  const path = '/api/v1/products?category=c-women&sort=price_asc&page_size=20';
  const all = await server.api('GET', path);
  assert.ok(all.body.total > 2000, `a large category: ${all.body.total}`);
  const deep = 50;
  const before = await server.api('GET', `${path}&page=${deep - 1}`);
  const page = await newPage(browser, server.base);
  const t0 = performance.now();
  await page.goto(`/search?category=c-women&sort=price_asc&page=${deep}`);
  const shown = await prices(page);
  console.log(`# Женщинам by price, page ${deep} of ${all.body.total}: shown after ${since(t0)}, ` +
    `${shown[0]}..${shown.at(-1)} after ${before.body.items.at(-1).price.amount / 100}`);
  assert.equal(shown.length, 20);
  assert.ok(ascending(shown), `page ${deep} ascending: ${shown}`);
  const lastBefore = before.body.items.at(-1).price.amount / 100;
  assert.ok(shown[0] >= lastBefore, `page ${deep} starts at ${shown[0]}, after ${lastBefore}`);
  await page.getByRole('region', { name: new RegExp(`^Найдено ${all.body.total} `) }).waitFor();
  assert.deepEqual(page.errors, []);
});
