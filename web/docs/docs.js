// Renders /api/openapi.json as a readable page: operations grouped by tag,
// each with its parameters, request body and responses, then the schemas.
// Plain DOM, no dependencies.

const el = (tag, attrs = {}, ...kids) => {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') n.className = v;
    else n.setAttribute(k, v);
  }
  for (const k of kids.flat()) n.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return n;
};

const refName = (ref) => ref.split('/').pop();

/** Text with `code` spans, as the descriptions write them. */
const prose = (text = '') => text.split(/(`[^`]+`)/).map((part) =>
  (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? el('code', {}, part.slice(1, -1)) : part));
const anchor = (method, path) => `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-');

/** A schema as a short type, with links to named schemas. */
function typeOf(s) {
  if (!s) return el('span', {}, 'any');
  if (s.$ref) return el('a', { href: `#schema-${refName(s.$ref)}` }, refName(s.$ref));
  if (s.oneOf) return el('span', {}, ...s.oneOf.flatMap((x, i) => (i ? [' | ', typeOf(x)] : [typeOf(x)])));
  if (s.type === 'array') return el('span', {}, '[', typeOf(s.items), ']');
  if (s.enum) return el('span', {}, s.enum.map((x) => JSON.stringify(x)).join(' | '));
  if (s.type === 'object' && s.properties) return el('span', {}, 'object');
  return el('span', {}, s.format ? `${s.type} (${s.format})` : s.type || 'any');
}

/** An object schema as a table of its fields. */
function fields(s) {
  if (!s || s.$ref || !s.properties) return el('div', { class: 'schema' }, typeOf(s));
  const req = new Set(s.required || []);
  return el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'type'), el('th', {}, ''))),
    el('tbody', {}, Object.entries(s.properties).map(([k, v]) =>
      el('tr', {}, el('td', {}, el('code', {}, k)), el('td', {}, typeOf(v)),
        el('td', { class: 'muted' }, [req.has(k) ? 'required' : 'optional', v.description ? ` — ${v.description}` : ''])))));
}

function operation(path, method, op) {
  const card = el('section', { class: 'op', id: anchor(method, path) },
    el('h3', {}, el('span', { class: `method ${method}` }, method), path,
      op.security ? el('span', { class: 'lock' }, '🔒 bearer token') : ''),
    el('p', {}, op.summary || ''));
  if (op.description) card.append(el('p', { class: 'muted' }, prose(op.description)));
  if (op.parameters?.length) {
    card.append(el('h4', {}, 'Parameters'), el('table', {},
      el('tbody', {}, op.parameters.map((p) => el('tr', {},
        el('td', {}, el('code', {}, p.name)), el('td', {}, p.in), el('td', {}, typeOf(p.schema)),
        el('td', { class: 'muted' }, [p.required ? 'required' : 'optional', p.description ? ` — ${p.description}` : '']))))));
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) card.append(el('h4', {}, 'Request body (application/json)'), fields(body));
  card.append(el('h4', {}, 'Responses'), el('table', {}, el('tbody', {},
    Object.entries(op.responses).map(([code, r]) => {
      const content = r.content && Object.entries(r.content)[0];
      return el('tr', {},
        el('td', {}, el('span', { class: `status ${code < 400 ? 'ok' : 'bad'}` }, code)),
        el('td', {}, r.description || ''),
        el('td', {}, content ? [content[0], ' ', typeOf(content[1].schema)] : ''));
    }))));
  return card;
}

async function main() {
  const main = document.getElementById('docs');
  const toc = document.getElementById('toc');
  let doc;
  try {
    const res = await fetch('/api/openapi.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = await res.json();
  } catch (e) {
    main.replaceChildren(el('p', { class: 'error' }, `Could not load /api/openapi.json: ${e.message}`));
    return;
  }
  document.title = `${doc.info.title} ${doc.info.version}`;
  main.replaceChildren(el('h1', {}, doc.info.title), el('p', {}, prose(doc.info.description)));
  const byTag = new Map((doc.tags || []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  for (const [tag, ops] of byTag) {
    if (!ops.length) continue;
    const id = `tag-${tag.replace(/\W+/g, '-')}`;
    main.append(el('h2', { id }, tag));
    toc.append(el('h2', {}, tag));
    for (const [path, method, op] of ops) {
      main.append(operation(path, method, op));
      toc.append(el('a', { href: `#${anchor(method, path)}` }, `${method.toUpperCase()} ${path}`));
    }
  }
  main.append(el('h2', { id: 'schemas' }, 'Schemas'));
  toc.append(el('h2', {}, 'Schemas'));
  for (const [name, s] of Object.entries(doc.components?.schemas || {})) {
    main.append(el('section', { class: 'op', id: `schema-${name}` }, el('h3', {}, name), fields(s)));
    toc.append(el('a', { href: `#schema-${name}` }, name));
  }
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

main();
