// The category tree as <option>s, children indented under their parents.
import { html } from '../html.js';

/** Options for every category of `tree` (from loadCategories()), in tree order. */
export function categoryOptions(tree) {
  const out = [];
  const walk = (c, depth) => {
    out.push(html`<option value=${c.id}>${'\u00a0\u00a0'.repeat(depth)}${c.name}</option>`);
    c.children.forEach((x) => walk(x, depth + 1));
  };
  tree?.roots.forEach((r) => walk(r, 0));
  return out;
}
