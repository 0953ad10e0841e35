// Delivery address: a click on the city map or typed coordinates, plus text.
import { html } from '../html.js';
import { CityMap } from '../map.js';

/** Checks an address; returns a Russian message or null. */
export function addressProblem(a) {
  const lat = Number(a.lat);
  const lon = Number(a.lon);
  if (a.lat === '' || a.lon === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return 'Укажите точку доставки на карте или введите координаты';
  }
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'Координаты вне допустимого диапазона';
  if (!String(a.text ?? '').trim()) return 'Укажите адрес: улицу, дом и квартиру';
  return null;
}

/** value {lat, lon, text} as strings; onChange(next). */
export function AddressPicker({ value, onChange, warehouses }) {
  const set = (patch) => onChange({ ...value, ...patch });
  const pick = (lat, lon) => set({ lat: String(lat), lon: String(lon),
    text: value.text || `Точка на карте ${lat.toFixed(5)}, ${lon.toFixed(5)}` });
  const point = value.lat !== '' && value.lon !== ''
    ? { lat: Number(value.lat), lon: Number(value.lon) } : null;
  return html`<fieldset class="address card">
    <legend>Адрес доставки</legend>
    <p class="muted small">Нажмите на карту, чтобы отметить точку, или введите координаты.</p>
    <${CityMap} warehouses=${warehouses} destination=${point} onPick=${pick}
      label="Карта Москвы: нажмите, чтобы выбрать точку доставки" />
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
    <div class="field">
      <label for="addr-text">Адрес</label>
      <input id="addr-text" value=${value.text} autocomplete="street-address"
        placeholder="ул. Тверская, д. 1, кв. 5"
        onInput=${(e) => set({ text: e.target.value })} />
    </div>
  </fieldset>`;
}
