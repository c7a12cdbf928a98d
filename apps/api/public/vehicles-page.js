// "All vehicles": every car of the center, searched, filtered, sorted and paged by the API's keyset cursor
// (GET /api/v1/dashboard/vehicles), with the current view exported as CSV. Its own words in both languages
// (app.js's TEXT is moving to an i18n module); the page draws with app.js's helpers, passed in by its router.

const RISKS = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'];
const COMPONENTS = ['ENGINE_COOLING', 'FUEL_ECONOMY', 'TIRES', 'SERVICE_SCHEDULE', 'BATTERY', 'DIAGNOSTICS'];
const DEVICE_STATES = ['CONNECTED', 'OFFLINE', 'UNPLUGGED', 'NEVER_CONNECTED'];
const SORTS = ['risk', 'vin', 'owner', 'lastTelemetry'];
const FILTERS = ['q', 'risk', 'component', 'componentRisk', 'device', 'sort'];
const PAGE_SIZE = 50;

const TEXT = {
  en: {
    nav: 'All vehicles',
    search: 'Search',
    searchHint: 'VIN, plate, owner name or phone',
    risk: 'Risk at least',
    component: 'Component',
    componentRisk: 'at least',
    device: 'Device',
    sort: 'Sort by',
    any: 'Any',
    sorts: { risk: 'Risk (worst first)', vin: 'VIN', owner: 'Owner name', lastTelemetry: 'Last data (newest first)' },
    devices: { CONNECTED: 'Connected', OFFLINE: 'Offline', UNPLUGGED: 'Unplugged', NEVER_CONNECTED: 'Never connected' },
    columns: ['Vehicle', 'Plate', 'Owner', 'Phone', 'Risk', 'Device', 'Last data'],
    notScored: 'Not scored',
    none: 'No vehicle matches.',
    previous: '← Previous',
    next: 'Next →',
    page: (n) => `Page ${n}`,
    exportCsv: 'Export CSV',
    exporting: 'Exporting…',
    exportNote: 'The current filters and order, up to 10,000 rows.',
    exportTruncated: 'The export stopped at 10,000 rows: more vehicles match. Narrow the filters to export the rest.',
    never: 'never',
  },
  zh: {
    nav: '全部车辆',
    search: '搜索',
    searchHint: '车架号、车牌、车主姓名或电话',
    risk: '风险至少',
    component: '部件',
    componentRisk: '至少',
    device: '设备',
    sort: '排序',
    any: '全部',
    sorts: { risk: '风险（最高在前）', vin: '车架号', owner: '车主姓名', lastTelemetry: '最近数据（最新在前）' },
    devices: { CONNECTED: '在线', OFFLINE: '离线', UNPLUGGED: '已拔出', NEVER_CONNECTED: '从未连接' },
    columns: ['车辆', '车牌', '车主', '电话', '风险', '设备', '最近数据'],
    notScored: '未评分',
    none: '没有符合条件的车辆。',
    previous: '← 上一页',
    next: '下一页 →',
    page: (n) => `第 ${n} 页`,
    exportCsv: '导出 CSV',
    exporting: '正在导出…',
    exportNote: '当前筛选和排序，最多 10,000 行。',
    exportTruncated: '导出已在 10,000 行处截止：还有更多车辆符合条件。请缩小筛选范围以导出其余车辆。',
    never: '从未',
  },
};

const words = (lang) => TEXT[lang] ?? TEXT.en;

/** The nav link's label in the current language (the link is in index.html, with data-nav="vehicles"). */
export function labelVehiclesNav(lang) {
  const link = document.querySelector('#nav [data-nav="vehicles"]');
  if (link) link.textContent = words(lang).nav;
}

// The cursors of the pages before the current one, for "Previous": a keyset cursor only goes forward.
// Kept per view (filters and sort); a new view starts again at page 1.
let trail = { view: '', cursors: [] };

/**
 * #/vehicles?q=&risk=&component=&componentRisk=&device=&sort=&cursor=
 * ui: { h, api, render, lang, riskLabel, componentLabel, badge, formatDate, token, showStatus }
 */
export async function vehiclesPage(params, ui) {
  const { h, api, render, lang, riskLabel, componentLabel, badge, formatDate } = ui;
  const w = words(lang);
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) filters.set(name, params.get(name));
  const view = filters.toString();
  const cursor = params.get('cursor') ?? '';
  if (trail.view !== view) trail = { view, cursors: [] };
  // Arriving by "Previous" (or a bookmark) drops the trail after this cursor.
  const at = trail.cursors.indexOf(cursor);
  if (at >= 0) trail.cursors = trail.cursors.slice(0, at);

  const go = (next, nextCursor) => {
    const query = new URLSearchParams(next);
    if (nextCursor) query.set('cursor', nextCursor);
    location.hash = `#/vehicles?${query.toString()}`;
  };

  const query = new URLSearchParams(filters);
  query.set('limit', String(PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  const page = await api(`/dashboard/vehicles?${query.toString()}`);

  // ---- the form: changing anything starts the view again at page 1 ----
  const search = h('input', {
    type: 'search',
    class: 'field',
    name: 'q',
    value: params.get('q') ?? '',
    placeholder: w.searchHint,
    'aria-label': w.search,
  });
  const choice = (name, label, values, text, withAny = true) =>
    h(
      'label',
      { class: 'small' },
      `${label} `,
      h(
        'select',
        { class: 'field', name, 'aria-label': label },
        withAny ? h('option', { value: '' }, w.any) : null,
        values.map((value) => h('option', { value, selected: params.get(name) === value }, text(value))),
      ),
    );
  const form = h(
    'form',
    { class: 'card vehicle-filters', role: 'search' },
    h('label', { class: 'small' }, `${w.search} `, search),
    choice('risk', w.risk, RISKS, riskLabel),
    choice('component', w.component, COMPONENTS, componentLabel),
    choice('componentRisk', w.componentRisk, RISKS.slice(1), riskLabel, false),
    choice('device', w.device, DEVICE_STATES, (state) => w.devices[state]),
    choice('sort', w.sort, SORTS, (sort) => w.sorts[sort], false),
    h('button', { type: 'submit', class: 'primary' }, w.search),
  );
  const submit = (event) => {
    event?.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim() !== '') next.set(name, String(value).trim());
    // componentRisk means something only with a component.
    if (!next.get('component')) next.delete('componentRisk');
    go(next, '');
  };
  form.addEventListener('submit', submit);
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => submit());

  // ---- the table ----
  const deviceCell = (device) =>
    h('span', { class: 'small device-state', 'data-device-state': device.state }, w.devices[device.state] ?? device.state);
  const rows = page.items.map((item) =>
    h(
      'tr',
      { 'data-vin': item.vin },
      h(
        'td',
        {},
        h('a', { href: `#/vehicle/${encodeURIComponent(item.vin)}` }, `${item.make} ${item.model} ${item.year}`),
        h('div', { class: 'small' }, h('code', {}, item.vin)),
      ),
      h('td', {}, item.plate ?? '–'),
      h('td', {}, item.owner.name),
      h('td', {}, item.owner.phone ?? '–'),
      h(
        'td',
        {},
        item.risk ? badge(item.risk) : h('span', { class: 'muted' }, w.notScored),
        item.worstComponents.length > 0 && item.risk !== 'OK'
          ? h('div', { class: 'small' }, item.worstComponents.map(componentLabel).join(', '))
          : null,
      ),
      h('td', {}, deviceCell(item.device)),
      h('td', {}, item.lastTelemetryAt ? formatDate(item.lastTelemetryAt) : w.never),
    ),
  );
  const table =
    rows.length === 0
      ? h('p', { class: 'card muted' }, w.none)
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'vehicles-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                w.columns.map((label) => h('th', {}, label)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        );

  // ---- paging ----
  const previous = h('button', { type: 'button', class: 'link-button', disabled: !cursor }, w.previous);
  previous.addEventListener('click', () => go(filters, trail.cursors.at(-1) ?? ''));
  const next = h('button', { type: 'button', class: 'link-button', disabled: !page.nextCursor }, w.next);
  next.addEventListener('click', () => {
    trail.cursors.push(cursor);
    go(filters, page.nextCursor);
  });
  const pager = h('p', { class: 'pager' }, previous, ' ', h('span', { class: 'small' }, w.page(trail.cursors.length + 1)), ' ', next);

  // ---- export: fetched with the bearer token (a plain link cannot send it), saved as the API names it ----
  const exportButton = h('button', { type: 'button', class: 'link-button', 'data-action': 'export-csv', title: w.exportNote }, w.exportCsv);
  exportButton.addEventListener('click', () => void exportCsv(filters, exportButton, w, ui));

  render(h('h1', {}, w.nav), form, h('p', { class: 'small' }, exportButton, ` · ${w.exportNote}`), table, pager);
}

async function exportCsv(filters, button, w, ui) {
  button.disabled = true;
  button.textContent = w.exporting;
  try {
    const response = await fetch(`/api/v1/dashboard/vehicles.csv?${filters.toString()}`, {
      headers: { Accept: 'text/csv', Authorization: `Bearer ${ui.token()}` },
    });
    if (!response.ok) throw new Error(`CSV (${response.status})`);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'vehicles.csv';
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    // The API cuts a larger view at the row limit and says so in this header.
    if (response.headers.get('x-truncated') === 'true') ui.showStatus(w.exportTruncated, 'info');
  } catch (error) {
    ui.showStatus(error.message ?? String(error));
  } finally {
    button.disabled = false;
    button.textContent = w.exportCsv;
  }
}
