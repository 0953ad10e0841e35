// The admin creates and edits products from /admin, with every field checked
// before the server is asked; the stock table loads a page in one request.

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

test('a page of the stock table is one request, not one per cell', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  const asked = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/v1/')) asked.push(path);
  });
  await page.goto('/admin');
  const stock = page.getByRole('region', { name: 'Остатки по складам' });
  await stock.getByRole('row').nth(10).waitFor();
  assert.equal(asked.filter((p) => p === '/api/v1/admin/stock').length, 1);
  assert.deepEqual(asked.filter((p) => /\/stock\//.test(p)), [], 'no request per cell');
  await stock.getByRole('button', { name: 'Вперёд →' }).click();
  await stock.getByText('Страница 2 из').waitFor();
  await stock.getByRole('row').nth(10).waitFor();
  assert.equal(asked.filter((p) => p === '/api/v1/admin/stock').length, 2);
  assert.ok(asked.length < 12, `the admin page made ${asked.length} API requests`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the admin creates a product, is stopped by bad fields, and edits it', async () => {
  const page = await newPage(browser, server.base);
  await loginInBrowser(page, ADMIN);
  await page.goto('/admin');
  const stock = page.getByRole('region', { name: 'Остатки по складам' });
  await stock.getByRole('row').nth(1).waitFor();
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/products')) posted++; });

  await stock.getByRole('button', { name: 'Новый товар' }).click();
  const form = page.getByRole('form', { name: 'Редактор: новый' });
  await form.getByRole('button', { name: 'Создать товар' }).click();
  await form.getByText('Введите название').waitFor();
  await form.getByText('Выберите категорию').waitFor();
  await form.getByText('Введите цену в рублях').waitFor();
  assert.equal(await form.getByLabel('Название').getAttribute('aria-invalid'), 'true');

  await form.getByLabel('Название').fill('   ');
  await form.getByLabel('Категория').selectOption({ index: 1 });
  for (const bad of ['abc', '-5', '12,345', '1e3', '100000001']) {
    await form.getByLabel('Цена, ₽').fill(bad);
    await form.getByRole('button', { name: 'Создать товар' }).click();
    await form.getByRole('alert').filter({ hasText: /Цена/ }).waitFor();
  }
  await form.getByText('Введите название').waitFor();
  assert.equal(posted, 0, 'nothing invalid reached the server');

  const title = 'Чайник «Berry» тестовый';
  await form.getByLabel('Название').fill(title);
  await form.getByLabel('Цена, ₽').fill('1 234,50');
  await form.getByLabel('Описание').fill('Создан в тесте');
  await form.getByRole('button', { name: 'Создать товар' }).click();
  await stock.getByText(`Товар «${title}» сохранён`).waitFor();
  assert.equal(posted, 1);
  const list = await server.api('GET', `/api/v1/products?q=${encodeURIComponent('Berry тестовый')}`);
  const made = list.body.items.find((p) => p.title === title);
  assert.ok(made, 'the product exists');
  assert.equal(made.price.amount, 123450);
  assert.equal(made.description, 'Создан в тесте');

  await stock.getByLabel('Товар', { exact: true }).fill('Berry тестовый');
  await stock.getByRole('button', { name: 'Найти' }).click();
  const row = stock.getByRole('row').filter({ hasText: title });
  await row.getByText(/1\s234,50\s₽/).waitFor();
  await row.getByRole('button', { name: `Изменить: ${title}` }).click();
  const edit = page.getByRole('form', { name: `Редактор: ${title}` });
  assert.equal(await edit.getByLabel('Цена, ₽').inputValue(), '1234.5');
  await edit.getByLabel('Цена, ₽').fill('');
  await edit.getByRole('button', { name: 'Сохранить товар' }).click();
  await edit.getByText('Введите цену в рублях').waitFor();
  await edit.getByLabel('Цена, ₽').fill('999');
  await edit.getByRole('button', { name: 'Сохранить товар' }).click();
  await stock.getByText(`Товар «${title}» сохранён`).waitFor();
  await row.getByText(/999\s₽/).waitFor();
  const after = await server.api('GET', `/api/v1/products/${made.id}`);
  assert.equal(after.body.price.amount, 99900);
  await page.screenshot({ path: artifact('admin-products.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
