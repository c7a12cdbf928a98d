// @ts-check
// Charts of the evidence behind the predictions, shared by the staff dashboard and the owner app (which
// imports this file from /dashboard/). Apache ECharts, loaded on first use from this origin
// (/vendor/echarts, the installed package: no CDN). Canvas renderer and tooltips drawn in the canvas
// (renderMode 'richText'): the pages' CSP forbids inline style attributes, which ECharts' SVG text and HTML
// tooltips would need. Every chart has a one-line caption, axis names with units, tooltips with units.

import { chartTranslator } from './i18n.js';

// The answers' shapes are the API's own (the Zod schemas that also document them in OpenAPI).
/** @typedef {import('../src/charts/charts.schema.js').VehicleChartsView} VehicleChartsView */
/** @typedef {import('../src/charts/charts.schema.js').FleetRiskView} FleetRiskView */
/** @typedef {'coolant' | 'overheat' | 'tread' | 'pressure' | 'fuel' | 'battery' | 'health'} ChartName */
/**
 * An ECharts option as built here: the shared frame of baseOption, then each chart's axes and series.
 * @typedef {{ grid: Record<string, unknown>; tooltip: Record<string, unknown>; xAxis: Record<string, unknown>; yAxis: Record<string, unknown>; series?: Record<string, unknown>[]; [key: string]: unknown }} ChartOption
 */
/** @typedef {{ name: string; title: string; caption: string; empty: boolean; option: ChartOption }} ChartSpec */
const ECHARTS_URL = '/vendor/echarts/echarts.esm.min.js';
/** @type {Record<string, string>} */
const WHEEL_COLORS = { FL: '#1f5fbf', FR: '#b26a00', RL: '#2e7d32', RR: '#8e24aa' };
const COMPONENT_COLORS = ['#1f5fbf', '#b26a00', '#2e7d32', '#8e24aa', '#d84315', '#00838f'];
/** @type {Record<string, string>} */
const RISK_COLORS = { OK: '#2e7d32', WATCH: '#1565c0', SOON: '#b26a00', URGENT: '#d84315', CRITICAL: '#b71c1c' };

/** @type {Promise<typeof import('echarts')> | undefined} */
let echartsModule;
/** ECharts, imported once (about 1 MB): only pages that draw a chart pay for it. */
export function loadECharts() {
  echartsModule ??= import(ECHARTS_URL);
  return echartsModule;
}

/** @param {string} day */
const dayTime = (day) => Date.parse(`${day}T00:00:00Z`);
/** @param {number} value */
const num = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)).toString() : '–');

/**
 * @param {string} iso
 * @param {string} lang
 */
function formatDay(iso, lang) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium' });
}

/**
 * A figure with its caption; the chart is drawn into `.chart-canvas` once ECharts is loaded.
 * @param {string} name
 * @param {string} title
 * @param {string} caption
 * @param {boolean} empty
 * @param {string} noData
 */
function figure(name, title, caption, empty, noData) {
  const element = document.createElement('figure');
  element.className = 'evidence-chart';
  element.dataset.chart = name;
  const heading = document.createElement('strong');
  heading.textContent = title;
  const note = document.createElement('figcaption');
  note.textContent = caption;
  element.append(heading, note);
  const body = document.createElement('div');
  if (empty) {
    body.className = 'chart-empty muted';
    body.textContent = noData;
  } else {
    body.className = 'chart-canvas';
  }
  element.append(body);
  return element;
}

const DAY_MS = 86_400_000;

/**
 * The shared frame: y-axis name (with its unit) above the axis, legend below the plot, so neither covers
 * the other on a narrow screen; a value x axis (odometer) gets its name under the labels.
 * @param {{ xName: string; yName: string; yUnit: string; xType?: string; yMin?: number; yMax?: number; legend?: boolean }} frame
 * @returns {ChartOption}
 */
function baseOption({ xName, yName, yUnit, xType = 'time', yMin, yMax, legend = true }) {
  const namedX = xType === 'value' && xName !== '';
  return {
    animation: false,
    grid: { left: 8, right: 20, top: 32, bottom: (legend ? 30 : 6) + (namedX ? 22 : 0), containLabel: true },
    legend: legend ? { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 } } : undefined,
    tooltip: {
      trigger: xType === 'time' ? 'axis' : 'item',
      renderMode: 'richText',
      valueFormatter: /** @param {unknown} value */ (value) => (value === null || value === undefined ? '–' : `${num(Number(value), 2)} ${yUnit}`),
    },
    xAxis: namedX
      ? { type: xType, name: xName, nameLocation: 'middle', nameGap: 26, scale: true }
      : { type: xType, minInterval: xType === 'time' ? DAY_MS : undefined },
    yAxis: { type: 'value', name: yName, nameTextStyle: { align: 'left', padding: [0, 0, 0, -4] }, scale: yMin === undefined, min: yMin, max: yMax },
  };
}

/**
 * @param {number} value
 * @param {string} label
 * @param {string} color
 */
const markLine = (value, label, color, position = 'insideStartTop') => ({
  yAxis: value,
  lineStyle: { color, type: 'dashed' },
  label: { formatter: label, position, color, fontSize: 11 },
});

/**
 * The chart specs for a vehicle's series (GET /vehicles/{vin}/charts): [{ name, title, caption, empty, option }].
 * Pure (no DOM), so the page decides where each goes.
 * @param {VehicleChartsView} data
 * @param {string} lang
 * @param {ChartName[]} names
 * @returns {ChartSpec[]}
 */
export function vehicleChartSpecs(data, lang, names) {
  const text = chartTranslator(lang);
  const specs = {
    coolant: () => {
      const { coolant } = data;
      const points = coolant.warmDaily.points.map(([day, value]) => [dayTime(day), value]);
      const forecast = coolant.forecast;
      const lastPoint = points.at(-1);
      const caption = text('coolantCaption', {
        baseline: coolant.baselineC === null ? '' : text('coolantBaseline', { value: num(coolant.baselineC) }),
        danger: num(coolant.dangerC),
        forecast:
          forecast === null
            ? ''
            : text('coolantForecast', {
                expected: formatDay(forecast.expectedAt, lang),
                earliest: formatDay(forecast.earliestAt, lang),
                latest: formatDay(forecast.latestAt, lang),
              }),
      });
      const option = baseOption({ xName: text('axisDay'), yName: text('axisTemp'), yUnit: '°C' });
      const lines = [markLine(coolant.dangerC, `${text('danger')} ${num(coolant.dangerC)} °C`, RISK_COLORS.CRITICAL)];
      if (coolant.baselineC !== null) lines.push(markLine(coolant.baselineC, `${text('baseline')} ${num(coolant.baselineC)} °C`, RISK_COLORS.OK));
      option.series = [
        { name: text('warm'), type: 'line', data: points, showSymbol: points.length < 60, markLine: { symbol: 'none', silent: true, data: lines } },
      ];
      if (forecast !== null && lastPoint !== undefined) {
        option.series.push({
          name: text('forecast'),
          type: 'line',
          data: [lastPoint, [Date.parse(forecast.expectedAt), coolant.dangerC]],
          lineStyle: { type: 'dashed' },
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(183,28,28,0.08)' },
            label: { position: 'insideBottom', fontSize: 10, color: '#7f1d1d' },
            data: [[{ name: text('interval'), xAxis: Date.parse(forecast.earliestAt) }, { xAxis: Date.parse(forecast.latestAt) }]],
          },
        });
      }
      return { caption, empty: points.length === 0, option, title: text('coolantTitle') };
    },
    overheat: () => {
      const points = data.overheat.episodesDaily.points.map(([day, count]) => [dayTime(day), count]);
      const option = baseOption({ xName: text('axisDay'), yName: text('axisEpisodes'), yUnit: text('episodeUnit'), yMin: 0, legend: false });
      option.yAxis.minInterval = 1;
      option.series = [{ name: text('episodes'), type: 'bar', data: points, itemStyle: { color: RISK_COLORS.URGENT } }];
      return {
        caption: text('overheatCaption', { threshold: num(data.overheat.thresholdC, 0) }),
        empty: points.length === 0,
        option,
        title: text('overheatTitle'),
      };
    },
    tread: () => {
      const { tires } = data;
      const option = baseOption({ xName: text('axisOdometer'), yName: text('axisTread'), yUnit: 'mm', xType: 'value', yMin: 0 });
      option.tooltip.trigger = 'axis';
      const limits = {
        symbol: 'none',
        silent: true,
        data: [
          markLine(tires.limitsMm.recommended, text('limit3'), RISK_COLORS.SOON, 'insideEndTop'),
          markLine(tires.limitsMm.legal, text('limit16'), RISK_COLORS.CRITICAL, 'insideEndTop'),
        ],
      };
      option.series = tires.wheels.flatMap((wheel, index) => {
        const color = WHEEL_COLORS[wheel.position];
        // The limit lines ride on the first wheel's series: a series of their own would show in the legend.
        /** @type {Record<string, unknown>[]} */
        const series = [
          {
            name: wheel.position,
            type: 'line',
            data: wheel.tread,
            color,
            showSymbol: wheel.tread.length < 40,
            markLine: index === 0 ? limits : undefined,
          },
        ];
        if (wheel.inspections.length > 0)
          series.push({ name: `${wheel.position} ${text('measured')}`, type: 'scatter', data: wheel.inspections, color, symbolSize: 8 });
        if (wheel.projection !== null)
          series.push({
            name: `${wheel.position} ${text('projection')}`,
            type: 'line',
            data: wheel.projection,
            color,
            lineStyle: { type: 'dashed' },
            symbol: 'circle',
            symbolSize: 4,
          });
        return series;
      });
      option.xAxis.axisLabel = { formatter: /** @param {number} value */ (value) => `${Math.round(value / 1000)}k` };
      const empty = tires.wheels.every((w) => w.tread.length === 0 && w.inspections.length === 0);
      return { caption: text('treadCaption'), empty, option, title: text('treadTitle') };
    },
    pressure: () => {
      const { tires } = data;
      const option = baseOption({ xName: text('axisDay'), yName: text('axisPressure'), yUnit: 'kPa' });
      const leaks = tires.wheels.filter((w) => w.leak !== null);
      option.series = tires.wheels.map((wheel) => {
        const points = wheel.pressure.map(([iso, kpa]) => [Date.parse(iso), kpa]);
        const last = points.at(-1);
        return {
          name: wheel.position,
          type: 'line',
          data: points,
          color: WHEEL_COLORS[wheel.position],
          showSymbol: false,
          markPoint:
            wheel.leak !== null && last !== undefined
              ? {
                  data: [{ coord: last, value: text('leak'), itemStyle: { color: RISK_COLORS[wheel.leak.risk] ?? RISK_COLORS.SOON } }],
                  label: { fontSize: 10 },
                }
              : undefined,
        };
      });
      const caption = text('pressureCaption', {
        hours: tires.pressureBucketHours,
        leaks: leaks.length === 0 ? '' : text('pressureLeaks', { wheels: leaks.map((w) => w.position).join(', ') }),
      });
      return { caption, empty: tires.wheels.every((w) => w.pressure.length === 0), option, title: text('pressureTitle') };
    },
    fuel: () => {
      const { fuel } = data;
      const points = fuel.daily.points.map(([day, pct]) => [dayTime(day), pct]);
      const option = baseOption({ xName: text('axisDay'), yName: text('axisFuel'), yUnit: '%', legend: false });
      option.series = [
        {
          name: text('fuel'),
          type: 'line',
          data: points,
          showSymbol: points.length < 60,
          markLine: { symbol: 'none', silent: true, data: [markLine(100, `${text('expected')} 100 %`, RISK_COLORS.OK)] },
        },
      ];
      const loss =
        fuel.degradation === null
          ? ''
          : text('fuelLoss', { pct: num(fuel.degradation.pct), low: num(fuel.degradation.low90), high: num(fuel.degradation.high90) });
      return { caption: text('fuelCaption', { loss }), empty: points.length === 0, option, title: text('fuelTitle') };
    },
    battery: () => {
      const { battery } = data;
      /** @param {{ points: [string, number][] }} series */
      const toPoints = (series) => series.points.map(([day, volts]) => [dayTime(day), volts]);
      const option = baseOption({ xName: text('axisDay'), yName: text('axisVoltage'), yUnit: 'V' });
      option.series = [
        { name: text('resting'), type: 'line', data: toPoints(battery.resting), color: RISK_COLORS.WATCH },
        { name: text('cranking'), type: 'line', data: toPoints(battery.cranking), color: RISK_COLORS.SOON },
      ];
      return {
        caption: text('batteryCaption'),
        empty: battery.resting.points.length + battery.cranking.points.length === 0,
        option,
        title: text('batteryTitle'),
      };
    },
    health: () => {
      const option = baseOption({ xName: text('axisDay'), yName: text('axisHealth'), yUnit: '/ 100', yMin: 0, yMax: 100 });
      option.series = data.health.components.map((component, index) => ({
        name: text.component(component.component),
        type: 'line',
        step: 'end',
        data: component.points.map(([day, health]) => [dayTime(day), health]),
        color: COMPONENT_COLORS[index % COMPONENT_COLORS.length],
      }));
      return {
        caption: text('healthCaption'),
        empty: data.health.components.every((c) => c.points.length === 0),
        option,
        title: text('healthTitle'),
      };
    },
  };
  return names.map((name) => ({ name, ...specs[name]() }));
}

/**
 * The fleet chart (GET /dashboard/charts/risk-by-component): vehicles per component, stacked by risk.
 * @param {FleetRiskView} data
 * @param {string} lang
 * @returns {ChartSpec}
 */
export function fleetChartSpec(data, lang) {
  const text = chartTranslator(lang);
  const components = data.components.map((c) => text.component(c.component));
  const option = baseOption({ xName: text('axisVehicles'), yName: '', yUnit: text('vehicleUnit'), xType: 'value', yMin: 0 });
  option.tooltip.trigger = 'axis';
  option.grid.top = 8;
  option.xAxis = { type: 'value', name: text('axisVehicles'), nameLocation: 'middle', nameGap: 26, minInterval: 1 };
  option.yAxis = { type: 'category', data: components };
  const risks = /** @type {import('#app/maintenance/vocabulary').Risk[]} */ (Object.keys(RISK_COLORS));
  option.series = risks.map((risk) => ({
    name: text.risk(risk),
    type: 'bar',
    stack: 'risk',
    color: RISK_COLORS[risk],
    data: data.components.map((c) => c.byRisk[risk] ?? 0),
  }));
  const empty = data.components.every((c) => Object.values(c.byRisk).every((n) => n === 0));
  return { name: 'fleet', title: text('fleetTitle'), caption: text('fleetCaption'), empty, option };
}

/**
 * Charts drawn so far: a page re-render leaves them detached, and the next render releases them.
 * @type {Set<{ box: HTMLElement; chart: import('echarts').ECharts; observer: ResizeObserver }>}
 */
const drawn = new Set();

function releaseDetached() {
  for (const entry of drawn) {
    if (entry.box.isConnected) continue;
    entry.observer.disconnect();
    entry.chart.dispose();
    drawn.delete(entry);
  }
}

/**
 * Renders specs into `container` (figures with captions first, so the page shows its text at once), then
 * draws each chart. Charts follow their box's width (phones included). Returns the ECharts instances.
 * @param {Element} container
 * @param {ChartSpec[]} specs
 * @param {string} lang
 * @returns {Promise<import('echarts').ECharts[]>}
 */
export async function renderCharts(container, specs, lang) {
  const text = chartTranslator(lang);
  const figures = specs.map((spec) => figure(spec.name, spec.title, spec.caption, spec.empty, text('noData')));
  container.replaceChildren(...figures);
  const drawable = specs.map((spec, index) => /** @type {[ChartSpec, HTMLElement]} */ ([spec, figures[index]])).filter(([spec]) => !spec.empty);
  if (drawable.length === 0) return [];
  const echarts = await loadECharts();
  releaseDetached();
  return drawable.map(([spec, element]) => {
    // figure() put the canvas box into every figure that is not empty.
    const box = /** @type {HTMLElement} */ (element.querySelector('.chart-canvas'));
    const chart = echarts.init(box, null, { renderer: 'canvas', locale: lang === 'zh' ? 'ZH' : 'EN' });
    chart.setOption(/** @type {import('echarts').EChartsOption} */ (spec.option));

    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(box);
    drawn.add({ box, chart, observer });
    return chart;
  });
}
