// OBD-II log import on the vehicle page (POST /api/v1/vehicles/{vin}/obd-logs): a file input, the upload's
// progress, then the per-column report (what each column was read as, values, unreadable and refused cells), and
// the car's past imports (who, when, which file, what it came to). Draws with app.js's helpers, passed in as `ui`.

const TEXT = {
  en: {
    title: 'OBD log import',
    hint: 'A CSV log from Torque Pro, carOBD or cephasax (units in the cells or the headers are read). Its rows become this car’s history, checked like a device’s; the same file twice is stored once.',
    file: 'Log file',
    startedAt: 'Log started at (logs without a date: engine run time 0)',
    logVehicle: 'Car in the file (files of several cars)',
    upload: 'Import',
    chooseFile: 'Choose a log file first.',
    uploading: 'Uploading',
    processing: 'Reading and storing the rows…',
    report: 'Import report',
    summary: '{rowsRead} rows read: {stored} new, {alreadyStored} already stored, {refused} refused',
    dropped: '{repeated} repeated rows read once, {noClock} rows without a time left out',
    clock: 'Time',
    column: 'Column',
    readAs: 'Read as',
    unit: 'Unit',
    values: 'Values',
    empty: 'Empty',
    unreadable: 'Unreadable',
    refused: 'Refused',
    note: 'Note',
    ignored: 'ignored',
    refusals: 'Refused rows',
    failed: 'Import failed',
    past: 'Past imports',
    none: 'No logs imported yet.',
    when: 'When',
    who: 'By',
    format: 'Format',
    rows: 'Rows (new / already / refused)',
    span: 'Covers',
  },
  zh: {
    title: 'OBD 日志导入',
    hint: '来自 Torque Pro、carOBD 或 cephasax 的 CSV 日志（可读取单元格或表头中的单位）。其数据行按设备数据的同样规则校验后成为该车的历史数据；同一文件导入两次只存储一次。',
    file: '日志文件',
    startedAt: '日志开始时间（无日期的日志：发动机运行时间为 0 的时刻）',
    logVehicle: '文件中的车辆（多车文件）',
    upload: '导入',
    chooseFile: '请先选择日志文件。',
    uploading: '上传中',
    processing: '正在读取并存储数据行…',
    report: '导入报告',
    summary: '读取 {rowsRead} 行：新增 {stored}，已存在 {alreadyStored}，拒收 {refused}',
    dropped: '重复行 {repeated} 行只读取一次，无时间的行 {noClock} 行未导入',
    clock: '时间',
    column: '列',
    readAs: '读取为',
    unit: '单位',
    values: '数值',
    empty: '空',
    unreadable: '无法读取',
    refused: '拒收',
    note: '说明',
    ignored: '忽略',
    refusals: '被拒收的行',
    failed: '导入失败',
    past: '导入记录',
    none: '尚未导入日志。',
    when: '时间',
    who: '操作人',
    format: '格式',
    rows: '行数（新增 / 已存在 / 拒收）',
    span: '覆盖时段',
  },
};

const words = (lang) => TEXT[lang] ?? TEXT.en;

/** `{name}` marks filled from `values`. */
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));

/** The last report per car, kept across the page's redraw after an import (the redraw shows the new history). */
const lastReports = new Map();

/**
 * POSTs the form with XMLHttpRequest: fetch reports no upload progress. Resolves with the parsed answer and
 * its status; rejects only when the request could not be made.
 */
function send(url, form, accessToken, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.responseType = 'json';
    if (accessToken) request.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    request.upload.addEventListener('progress', (event) => onProgress(event.lengthComputable ? event.loaded / event.total : null));
    request.upload.addEventListener('load', () => onProgress('processing'));
    request.addEventListener('load', () => resolve({ status: request.status, body: request.response }));
    request.addEventListener('error', () => reject(new Error(`${request.status}`)));
    request.send(form);
  });
}

/** The vehicle page's import section; `onImported` redraws the page (history, charts) after new rows were stored. */
export async function obdImportSection(vin, ui, onImported) {
  const { h, api, lang } = ui;
  const w = words(lang);
  const path = `/vehicles/${encodeURIComponent(vin)}/obd-logs`;
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv,text/plain', class: 'field', 'aria-label': w.file });
  const startedAt = h('input', { type: 'datetime-local', name: 'startedAt', class: 'field', step: 1, 'aria-label': w.startedAt });
  const logVehicle = h('input', { type: 'text', name: 'logVehicle', class: 'field', maxlength: 100, 'aria-label': w.logVehicle });
  const button = h('button', { type: 'submit', class: 'primary' }, w.upload);
  const progress = h('progress', { class: 'obd-progress', max: 1, hidden: true });
  const progressText = h('span', { class: 'small obd-progress-text', role: 'status' });
  const report = h('div', { class: 'obd-report' });
  const previous = lastReports.get(vin);
  if (previous) report.replaceChildren(reportView(previous, ui));

  const setProgress = (value) => {
    progress.hidden = false;
    if (value === 'processing' || value === null) {
      progress.removeAttribute('value');
      progressText.textContent = value === 'processing' ? w.processing : w.uploading;
    } else {
      progress.value = value;
      progressText.textContent = `${w.uploading} ${Math.round(value * 100)} %`;
    }
  };

  const submit = async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      ui.showStatus(w.chooseFile);
      return;
    }
    const form = new FormData();
    form.append('file', chosen, chosen.name);
    if (startedAt.value) form.append('startedAt', new Date(startedAt.value).toISOString());
    if (logVehicle.value.trim()) form.append('logVehicle', logVehicle.value.trim());
    button.disabled = true;
    report.replaceChildren();
    setProgress(0);
    try {
      const { status, body } = await send(`/api/v1${path}`, form, ui.token(), setProgress);
      progress.hidden = true;
      progressText.textContent = '';
      if (status >= 200 && status < 300) {
        lastReports.set(vin, body);
        report.replaceChildren(reportView(body, ui));
        await onImported();
        return;
      }
      report.replaceChildren(failureView(status, body, ui));
    } catch (error) {
      progress.hidden = true;
      ui.showStatus(error.message);
    } finally {
      button.disabled = false;
    }
  };

  const imports = await api(path).catch((error) => error);
  return h(
    'section',
    { class: 'obd-import', 'data-vin': vin },
    h('h2', {}, w.title),
    h(
      'form',
      { class: 'card obd-form', onsubmit: (event) => void submit(event) },
      h('p', { class: 'small' }, w.hint),
      h('label', {}, `${w.file} `, file),
      h('label', { class: 'small' }, `${w.startedAt} `, startedAt),
      h('label', { class: 'small' }, `${w.logVehicle} `, logVehicle),
      h('div', {}, button, ' ', progress, ' ', progressText),
    ),
    report,
    h('h3', {}, w.past),
    imports instanceof Error ? h('p', { class: 'card muted' }, imports.message) : pastImports(imports.items, ui),
  );
}

function reportView(result, ui) {
  const { h } = ui;
  const w = words(ui.lang);
  return h(
    'div',
    { class: 'card obd-result', 'data-stored': result.stored, 'data-already-stored': result.alreadyStored, 'data-refused': result.refused },
    h('strong', {}, `${w.report}: ${result.fileName} (${result.format})`),
    h('p', { class: 'obd-summary' }, fill(w.summary, result)),
    result.repeatedRows > 0 || result.rowsWithoutClock > 0
      ? h('p', { class: 'small' }, fill(w.dropped, { repeated: result.repeatedRows, noClock: result.rowsWithoutClock }))
      : null,
    h('p', { class: 'small' }, `${w.clock}: ${result.clock}`),
    result.refusals.length > 0
      ? h(
          'div',
          { class: 'small obd-refusals' },
          h('strong', {}, `${w.refusals}: `),
          result.refusals.map((refusal) => h('div', {}, `${refusal.reason} × ${refusal.count} — ${refusal.example}`)),
        )
      : null,
    columnTable(result.columns, ui),
  );
}

function failureView(status, body, ui) {
  const { h } = ui;
  const w = words(ui.lang);
  const message = body && typeof body.message === 'string' ? body.message : `${status}`;
  const columns = body && Array.isArray(body.columns) ? body.columns : [];
  return h(
    'div',
    { class: 'card obd-failed', 'data-status': status },
    h('strong', {}, `${w.failed} (${status})`),
    h('p', { class: 'obd-failure' }, message),
    columns.length > 0 ? columnTable(columns, ui) : null,
  );
}

function columnTable(columns, ui) {
  const { h } = ui;
  const w = words(ui.lang);
  const heads = [w.column, w.readAs, w.unit, w.values, w.empty, w.unreadable, w.refused, w.note];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'obd-columns' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((label) => h('th', {}, label)),
        ),
      ),
      h(
        'tbody',
        {},
        columns.map((column) =>
          h(
            'tr',
            { class: column.readAs === null ? 'muted' : column.unreadable > 0 ? 'obd-unreadable' : '', 'data-column': column.column },
            h('td', {}, column.column),
            h('td', {}, column.readAs ?? w.ignored),
            h('td', {}, column.unit ?? ''),
            h('td', {}, column.readAs === null ? '' : column.values),
            h('td', {}, column.readAs === null ? '' : column.empty),
            h(
              'td',
              {},
              column.unreadable > 0 ? `${column.unreadable}${column.example ? ` (${column.example})` : ''}` : column.readAs === null ? '' : 0,
            ),
            h('td', {}, column.refused === undefined || column.readAs === null ? '' : column.refused),
            h('td', { class: 'small' }, column.note ?? ''),
          ),
        ),
      ),
    ),
  );
}

function pastImports(items, ui) {
  const { h, formatDate } = ui;
  const w = words(ui.lang);
  if (items.length === 0) return h('p', { class: 'card muted' }, w.none);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'obd-imports' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [w.when, w.who, w.file, w.format, w.rows, w.span].map((label) => h('th', {}, label)),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            { 'data-import': item.id },
            h('td', {}, formatDate(item.importedAt)),
            h('td', {}, item.importedBy.name),
            h('td', {}, item.fileName),
            h('td', {}, item.format),
            h('td', {}, `${item.stored} / ${item.alreadyStored} / ${item.refused}`),
            h('td', {}, item.firstSampleTs ? `${formatDate(item.firstSampleTs)} – ${formatDate(item.lastSampleTs)}` : '–'),
          ),
        ),
      ),
    ),
  );
}
