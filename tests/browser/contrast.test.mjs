// Text is readable: every visible text on the home, search and product pages
// (desktop and phone) has a contrast of at least 4.5:1 with what is behind it
// (3:1 for large text), computed from the browser's own styles; for text on
// a gradient the gradient's worst colour counts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';

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

/** Runs in the page: [{text, color, ratio, need}] for each text below `need`. */
function lowContrast() {
  const parse = (c) => {
    const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+%?))?\)/.exec(c);
    if (!m) return null;
    let a = m[4] === undefined ? 1 : parseFloat(m[4]) / (m[4].endsWith('%') ? 100 : 1);
    return { r: +m[1], g: +m[2], b: +m[3], a };
  };
  const lum = ({ r, g, b }) => {
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  // The colours behind `el`: the nearest opaque background colour, or every
  // stop of the nearest gradient, under the translucent backgrounds between.
  const behind = (el) => {
    const layers = [];
    const under = (base) => base.map((b) => layers.reduceRight((acc, l) => over(l, acc), b));
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const bg = parse(s.backgroundColor);
      const stops = (s.backgroundImage.match(/rgba?\([^)]*\)/g) ?? []).map(parse).filter(Boolean);
      if (stops.length) {
        if (bg && bg.a > 0) layers.push(bg);
        return under(stops.map((st) => (st.a < 1 ? over(st, { r: 255, g: 255, b: 255, a: 1 }) : st)));
      }
      if (bg && bg.a >= 1) return under([bg]);
      if (bg && bg.a > 0) layers.push(bg);
    }
    return under([{ r: 255, g: 255, b: 255, a: 1 }]);
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('[aria-hidden="true"], .sr-only, option, script, style')) continue;
    const box = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || s.visibility === 'hidden') continue;
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const worst = Math.min(...behind(el).map((bg) => {
      const fg = over(parse(s.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    }));
    if (worst < need) out.push({ text: n.textContent.trim().slice(0, 40), color: s.color, ratio: +worst.toFixed(2), need });
  }
  return out;
}

for (const [name, options] of [['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', { viewport: { width: 390, height: 800 }, isMobile: true }]]) {
  test(`text contrast is at least 4.5:1 on the main pages (${name})`, async () => {
    const page = await newPage(browser, server.base, options);
    const list = await server.api('GET', '/api/v1/products?page_size=1');
    for (const url of ['/', '/search?q=' + encodeURIComponent('платье'), `/product/${list.body.items[0].id}`]) {
      await page.goto(url);
      await page.locator('.stock.in, .stock.out').first().waitFor();
      if (url === '/') await page.locator('.cat-tile').first().waitFor();
      const low = await page.evaluate(lowContrast);
      assert.deepEqual(low, [], `${url}: ${JSON.stringify(low)}`);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
