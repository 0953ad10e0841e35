// Login and registration forms; both sign the user in and go to ?next=.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { login, register } from '../auth.js';
import { navigate, useTitle, withQuery } from '../router.js';
import { toast } from '../toast.js';
import { ErrorBox } from '../components/error_box.js';

function safeNext(query) {
  const next = query.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function Field({ id, label, type = 'text', value, onInput, auto, hint }) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} type=${type} value=${value} autocomplete=${auto} required
      aria-describedby=${hint ? `${id}-hint` : undefined}
      onInput=${(e) => onInput(e.target.value)} />
    ${hint && html`<small id=${`${id}-hint`} class="muted">${hint}</small>`}
  </div>`;
}

function useForm(submitFn, next) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await submitFn();
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  return { error, setError, busy, onSubmit };
}

/** /login */
export function LoginPage({ query }) {
  useTitle('Вход');
  const next = safeNext(query);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const f = useForm(async () => {
    await login(email.trim(), password);
    toast('Вы вошли в аккаунт');
  }, next);
  return html`<div class="page narrow">
    <form class="card form" onSubmit=${f.onSubmit} aria-labelledby="login-h">
      <h1 id="login-h">Вход</h1>
      <${Field} id="login-email" label="Email" type="email" value=${email}
        onInput=${setEmail} auto="email" />
      <${Field} id="login-password" label="Пароль" type="password" value=${password}
        onInput=${setPassword} auto="current-password" />
      <${ErrorBox} error=${f.error} />
      <button type="submit" class="btn primary wide" disabled=${f.busy}>Войти</button>
      <p class="small">Нет аккаунта?${' '}
        <a href=${withQuery('/register', { next: next === '/' ? '' : next })}>Зарегистрируйтесь</a></p>
    </form>
  </div>`;
}

/** /register */
export function RegisterPage({ query }) {
  useTitle('Регистрация');
  const next = safeNext(query);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const f = useForm(async () => {
    if (!name.trim()) throw new Error('Укажите имя');
    if (password.length < 8) throw new Error('Пароль должен быть не короче 8 символов');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      throw new Error('Укажите email в виде name@example.ru');
    }
    await register(email.trim(), password, name.trim());
    toast('Аккаунт создан, добро пожаловать!');
  }, next);
  return html`<div class="page narrow">
    <form class="card form" onSubmit=${f.onSubmit} aria-labelledby="reg-h" novalidate>
      <h1 id="reg-h">Регистрация</h1>
      <${Field} id="reg-name" label="Имя" value=${name} onInput=${setName} auto="name" />
      <${Field} id="reg-email" label="Email" type="email" value=${email}
        onInput=${setEmail} auto="email" />
      <${Field} id="reg-password" label="Пароль" type="password" value=${password}
        onInput=${setPassword} auto="new-password" hint="Не короче 8 символов" />
      <${ErrorBox} error=${f.error} />
      <button type="submit" class="btn primary wide" disabled=${f.busy}>
        Зарегистрироваться</button>
      <p class="small">Уже есть аккаунт?${' '}
        <a href=${withQuery('/login', { next: next === '/' ? '' : next })}>Войдите</a></p>
    </form>
  </div>`;
}
