// Delivery address: a street and house typed with suggestions from the
// city's street list, or a click on the city map, which takes the nearest
// house. Either way the pin and the text name the same house: a second click
// moves both. Coordinates can still be typed by hand.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { CityMap } from '../map.js';

/** Checks an address; returns a Russian message or null. */
export function addressProblem(a) {
  const lat = Number(a.lat);
  const lon = Number(a.lon);
  if (a.lat === '' || a.lon === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return 'Укажите точку доставки на карте или введите координаты';
  }
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'Координаты вне допустимого диапазона';
  if (a.outside) return 'Сюда мы пока не доставляем: точка вне зоны доставки';
  if (!String(a.text ?? '').trim()) return 'Укажите адрес: улицу, дом и квартиру';
  return null;
}

/** The house nearest a point: {text, location, in_zone}. */
const nearest = (lat, lon) => api(`/api/v1/addresses/nearest?lat=${lat}&lon=${lon}`);

/** Suggestions for what the shopper typed, after a short pause. */
function useSuggestions(text, open) {
  const [items, setItems] = useState([]);
  useEffect(() => {
    if (!open || text.trim().length < 2) { setItems([]); return undefined; }
    let live = true;
    const t = setTimeout(() => {
      api(`/api/v1/addresses?q=${encodeURIComponent(text)}`)
        .then((d) => { if (live) setItems(d?.items ?? []); }, () => live && setItems([]));
    }, 150);
    return () => { live = false; clearTimeout(t); };
  }, [text, open]);
  return items;
}

/** value {lat, lon, text} as strings; onChange(next). */
export function AddressPicker({ value, onChange, warehouses }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState(null);
  const clicks = useRef(0);
  const items = useSuggestions(value.text ?? '', open);
  const set = (patch) => onChange({ ...value, outside: false, ...patch });
  const choose = (a) => {
    setOpen(false);
    setNote(null);
    onChange({ lat: String(a.location.lat), lon: String(a.location.lon), text: a.text,
      outside: !a.in_zone });
  };
  // The latest click wins, whatever order the answers come back in.
  const pick = async (lat, lon) => {
    const n = ++clicks.current;
    try {
      const a = await nearest(lat, lon);
      if (n !== clicks.current) return;
      if (!a.in_zone) {
        setNote('Сюда мы пока не доставляем: точка вне зоны доставки');
        onChange({ lat: String(lat), lon: String(lon), text: '', outside: true });
        return;
      }
      choose(a);
    } catch {
      if (n === clicks.current) set({ lat: String(lat), lon: String(lon) });
    }
  };
  const point = value.lat !== '' && value.lon !== ''
    ? { lat: Number(value.lat), lon: Number(value.lon) } : null;
  return html`<fieldset class="address card">
    <legend>Адрес доставки</legend>
    <p class="muted small">Начните вводить улицу и дом или нажмите на карту.</p>
    <${CityMap} warehouses=${warehouses} destination=${point} onPick=${pick}
      label="Карта Москвы: нажмите, чтобы выбрать точку доставки" />
    ${note && html`<p class="small error-text" role="alert">${note}</p>`}
    <div class="field address-field">
      <label for="addr-text">Адрес</label>
      <input id="addr-text" value=${value.text} autocomplete="off" role="combobox"
        aria-expanded=${items.length > 0} aria-controls="addr-options" aria-autocomplete="list"
        placeholder="Тверская улица, 12"
        onInput=${(e) => { setOpen(true); set({ text: e.target.value }); }}
        onBlur=${() => setTimeout(() => setOpen(false), 200)} />
      ${items.length > 0 && html`<ul id="addr-options" role="listbox" class="suggestions card"
        aria-label="Подсказки">
        ${items.map((a) => html`<li key=${a.text} role="option" aria-selected="false"
          onMouseDown=${(e) => { e.preventDefault(); choose(a); }}>${a.text}</li>`)}
      </ul>`}
    </div>
    <div class="row wrap">
      <div class="field">
        <label for="addr-lat">Широта</label>
        <input id="addr-lat" inputmode="decimal" value=${value.lat} placeholder="55.7558"
          onInput=${(e) => set({ lat: e.target.value.replace(',', '.') })} />
      </div>
      <div class="field">
        <label for="addr-lon">Долгота</label>
        <input id="addr-lon" inputmode="decimal" value=${value.lon} placeholder="37.6173"
          onInput=${(e) => set({ lon: e.target.value.replace(',', '.') })} />
      </div>
    </div>
  </fieldset>`;
}
