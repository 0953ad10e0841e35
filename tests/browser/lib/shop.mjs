// What several browser tests do the same way, as a user does it.

/** Registers a new customer through the form; ends on the page it led to. */
export async function registerInBrowser(page, { name, email, password }) {
  await page.goto('/register');
  await page.getByLabel('Имя').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/register'));
}

/** Signs in through the form. */
export async function loginInBrowser(page, { email, password }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Fills the delivery address on the checkout page and picks a card. */
export async function fillCheckout(page, card) {
  await page.getByLabel('Широта').fill('55.7601');
  await page.getByLabel('Долгота').fill('37.6186');
  await page.getByLabel('Адрес').fill('Москва, Тверская ул., 1');
  await page.getByRole('radio', { name: card }).check();
}

/** Puts one unit of `product` in the cart from its page. */
export async function addToCartInBrowser(page, product) {
  await page.goto(`/product/${product.id}`);
  const buy = page.getByRole('region', { name: 'Покупка' });
  await buy.getByRole('button', { name: 'В корзину' }).click();
  await buy.getByText('В корзине: 1 шт.').waitFor();
}
