// Create or edit a product (POST /api/v1/products, PATCH /api/v1/products/{id}).
// The form checks what the API checks before asking, and says it in Russian.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, seg } from '../api.js';
import { forgetProduct } from '../catalog.js';
import { kopecksToRubles, rublesToKopecks } from '../money.js';
import { categoryOptions } from './category_options.js';

/** The most a price may be, in kopecks (the API allows far more). */
const MAX_PRICE = 100000000 * 100;

/** The field errors of a form's values, by field; empty when all is well. */
export function validateProduct({ title, category, price }) {
  const errors = {};
  const t = title.trim();
  if (t === '') errors.title = 'Введите название';
  else if ([...t].length > 200) errors.title = 'Название — не длиннее 200 символов';
  if (!category) errors.category = 'Выберите категорию';
  const k = rublesToKopecks(price);
  if (String(price).trim() === '') errors.price = 'Введите цену в рублях';
  else if (k == null || !/^\s*\d[\d\s]*([.,]\d{1,2})?\s*$/.test(price)) {
    errors.price = 'Цена — число рублей, до двух знаков после запятой';
  } else if (k > MAX_PRICE) errors.price = 'Цена — не больше 100 000 000 ₽';
  return errors;
}

/**
 * The product form: `product` to edit, or null to create one. `onSaved(p)`
 * gets the stored product; `onCancel` closes the form.
 */
export function ProductForm({ product, tree, onSaved, onCancel }) {
  const [title, setTitle] = useState(product?.title ?? '');
  const [description, setDescription] = useState(product?.description ?? '');
  const [category, setCategory] = useState(product?.category_id ?? '');
  const [price, setPrice] = useState(kopecksToRubles(product?.price?.amount));
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const save = async (e) => {
    e.preventDefault();
    const found = validateProduct({ title, category, price });
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    const body = {
      title: title.trim(), description, category_id: category,
      price: { amount: rublesToKopecks(price), currency: 'RUB' },
    };
    setBusy(true);
    try {
      const saved = product
        ? await api(`/api/v1/products/${seg(product.id)}`, { method: 'PATCH', body })
        : await api('/api/v1/products', { method: 'POST', body });
      forgetProduct(saved.id);
      onSaved(saved);
    } catch (err) { setFailure(err.message); }
    setBusy(false);
  };
  const field = (id, label, error, input) => html`<div class="field">
    <label for=${id}>${label}</label>${input}
    ${error && html`<span class="stock out small" id=${`${id}-err`} role="alert">${error}</span>`}
  </div>`;
  const invalid = (k) => (errors[k] ? 'true' : 'false');
  return html`<form class="card product-form" onSubmit=${save} noValidate
    aria-label=${product ? `Редактор: ${product.title}` : 'Редактор: новый'}>
    <h3>${product ? `Изменить: ${product.title}` : 'Новый товар'}</h3>
    ${field('pf-title', 'Название', errors.title, html`<input id="pf-title" value=${title}
      maxlength="200" aria-invalid=${invalid('title')} onInput=${(e) => setTitle(e.target.value)} />`)}
    ${field('pf-cat', 'Категория', errors.category, html`<select id="pf-cat" value=${category}
      aria-invalid=${invalid('category')} onChange=${(e) => setCategory(e.target.value)}>
      <option value="">— выберите —</option>${categoryOptions(tree)}</select>`)}
    ${field('pf-price', 'Цена, ₽', errors.price, html`<input id="pf-price" inputmode="decimal"
      value=${price} aria-invalid=${invalid('price')} onInput=${(e) => setPrice(e.target.value)} />`)}
    ${field('pf-desc', 'Описание', null, html`<textarea id="pf-desc" rows="3"
      value=${description} onInput=${(e) => setDescription(e.target.value)}></textarea>`)}
    ${failure && html`<p class="stock out small" role="alert">${failure}</p>`}
    <div class="row">
      <button type="submit" class="btn primary" disabled=${busy}>
        ${product ? 'Сохранить товар' : 'Создать товар'}</button>
      <button type="button" class="btn" onClick=${onCancel}>Отмена</button>
    </div>
  </form>`;
}
