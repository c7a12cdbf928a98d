import type { MessageData, RenderedMessage } from '../channels/notification-channel.model.js';
import { CHINESE_FINDINGS } from './chinese.catalog.js';
import { ENGLISH_FINDINGS } from './english.catalog.js';
import { FindingParams, type FindingText, type FindingTextCatalog } from './finding-text.model.js';
import type { ComponentName, Language, ReminderContent, ReminderItemContent, Risk, Visit } from './reminder-content.model.js';

interface LanguagePack {
  findings: FindingTextCatalog;
  risk: Record<Risk, string>;
  howSoon: Record<Risk, string>;
  component: Record<ComponentName, string>;
  labels: { why: string; howSoon: string; whatToDo: string; open: string };
  vehicle: (name: string) => string;
  titleSeparator: string;
  dueBy: (date: string) => string;
  dueAtKm: (km: string) => string;
  dueAtKmOnly: (km: string) => string;
  whicheverFirst: string;
  fallback: (component: string) => Pick<FindingText, 'headline' | 'action'>;
  sentenceEnd: string;
  locale: string;
  /** A visit of several needs: its headline, its lead sentence, and the label of the needs already fixed. */
  visitHeadline: (visit: Visit | null, component: string, open: number) => string;
  visitLead: (vehicle: string, open: number) => string;
  alreadyDone: string;
  listSeparator: string;
}

const PACKS: Record<Language, LanguagePack> = {
  en: {
    findings: ENGLISH_FINDINGS,
    risk: { OK: 'Info', WATCH: 'Heads-up', SOON: 'Soon', URGENT: 'Urgent', CRITICAL: 'Critical' },
    howSoon: {
      OK: 'No action needed now.',
      WATCH: 'No rush: keep an eye on it.',
      SOON: 'Within the next few weeks.',
      URGENT: 'Within the next few days.',
      CRITICAL: 'Now: do not keep driving until it is checked.',
    },
    component: {
      ENGINE_COOLING: 'Engine cooling',
      FUEL_ECONOMY: 'Fuel economy',
      TIRES: 'Tyres',
      SERVICE_SCHEDULE: 'Scheduled service',
      BATTERY: 'Battery',
      DIAGNOSTICS: 'Diagnostics',
    },
    labels: { why: 'Why', howSoon: 'How soon', whatToDo: 'What to do', open: 'Open in the app' },
    vehicle: (name) => `Your ${name}`,
    titleSeparator: ': ',
    dueBy: (date) => ` Due by ${date}`,
    dueAtKm: (km) => ` or at ${km} km on the odometer`,
    dueAtKmOnly: (km) => ` Due at ${km} km on the odometer`,
    whicheverFirst: ', whichever comes first',
    fallback: (component) => ({ headline: `${component} needs attention`, action: 'Have your car checked by your service center.' }),
    sentenceEnd: '.',
    locale: 'en-GB',
    visitHeadline: (visit, component, open) =>
      visit === 'TIRES'
        ? `Tyres: ${String(open)} ${open === 1 ? 'need' : 'needs'} for one visit`
        : visit === 'SERVICE'
          ? `Service visit: ${String(open)} ${open === 1 ? 'item' : 'items'} due together`
          : `${component}: ${String(open)} ${open === 1 ? 'need' : 'needs'}`,
    visitLead: (vehicle, open) => `Your ${vehicle}: one visit takes care of ${open === 1 ? 'what is left' : `all ${String(open)}`}.`,
    alreadyDone: 'Already done',
    listSeparator: ', ',
  },
  zh: {
    findings: CHINESE_FINDINGS,
    risk: { OK: '信息', WATCH: '提醒', SOON: '近期', URGENT: '紧急', CRITICAL: '严重' },
    howSoon: {
      OK: '目前无需处理。',
      WATCH: '暂不紧急，请留意。',
      SOON: '请在几周内处理。',
      URGENT: '请在几天内处理。',
      CRITICAL: '请立即处理：检查之前请勿继续行驶。',
    },
    component: {
      ENGINE_COOLING: '发动机冷却系统',
      FUEL_ECONOMY: '燃油经济性',
      TIRES: '轮胎',
      SERVICE_SCHEDULE: '定期保养',
      BATTERY: '蓄电池',
      DIAGNOSTICS: '故障诊断',
    },
    labels: { why: '原因', howSoon: '时间', whatToDo: '建议', open: '在应用中查看' },
    vehicle: (name) => `您的车辆 ${name}`,
    titleSeparator: '：',
    dueBy: (date) => `预计到期日：${date}`,
    dueAtKm: (km) => `，或里程表达到 ${km} 公里时`,
    dueAtKmOnly: (km) => `预计在里程表达到 ${km} 公里时到期`,
    whicheverFirst: '（以先到者为准）',
    fallback: (component) => ({ headline: `${component}需要注意`, action: '请联系您的服务中心进行检查。' }),
    sentenceEnd: '。',
    locale: 'zh-CN',
    visitHeadline: (visit, component, open) =>
      visit === 'TIRES'
        ? `轮胎：${String(open)} 项需在一次到店时处理`
        : visit === 'SERVICE'
          ? `到店保养：${String(open)} 个项目同时到期`
          : `${component}：${String(open)} 项需要处理`,
    visitLead: (vehicle, open) => `您的车辆 ${vehicle}：一次到店即可处理${open === 1 ? '剩余项目' : `全部 ${String(open)} 项`}。`,
    alreadyDone: '已完成',
    listSeparator: '、',
  },
};

/**
 * A reminder in the owner's language: what (headline), why (the evidence), how soon, what to do.
 * Finding codes without a translation fall back to the model's English message as the "why", so a
 * new model never produces an empty notification.
 */
export function renderReminderMessage(content: ReminderContent, language: Language): RenderedMessage {
  const items = content.items ?? [];
  // A visit of one need reads exactly as that need always did; two or more: one message naming each.
  if (items.length > 1) return renderVisitMessage(content, items, language);
  const pack = PACKS[language];
  const { finding, risk } = content;
  const params = new FindingParams(finding.params);
  const known = pack.findings[finding.code];
  const texts: FindingText = known
    ? known({ params, subject: finding.subject, risk })
    : { ...pack.fallback(pack.component[content.component] ?? content.component), why: finding.message };

  const vehicle = vehicleName(content);
  const howSoon = pack.howSoon[risk] + dueText(content, pack);
  const title = `${pack.risk[risk]}${pack.titleSeparator}${texts.headline}`;
  const lead = `${pack.vehicle(vehicle)}${pack.titleSeparator}${texts.headline}${pack.sentenceEnd}`;
  const lines = [
    lead,
    `${pack.labels.why}${pack.titleSeparator}${texts.why}`,
    `${pack.labels.howSoon}${pack.titleSeparator}${howSoon}`,
    `${pack.labels.whatToDo}${pack.titleSeparator}${texts.action}`,
  ];
  if (content.link) lines.push(`${pack.labels.open}${pack.titleSeparator}${content.link}`);

  const html = [
    `<!doctype html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(lead)}</p>`,
    `<p><strong>${escapeHtml(pack.labels.why)}</strong>${escapeHtml(pack.titleSeparator)}${escapeHtml(texts.why)}</p>`,
    `<p><strong>${escapeHtml(pack.labels.howSoon)}</strong>${escapeHtml(pack.titleSeparator)}${escapeHtml(howSoon)}</p>`,
    `<p><strong>${escapeHtml(pack.labels.whatToDo)}</strong>${escapeHtml(pack.titleSeparator)}${escapeHtml(texts.action)}</p>`,
    content.link ? `<p><a href="${escapeHtml(content.link)}">${escapeHtml(pack.labels.open)}</a></p>` : '',
    '</body></html>',
  ].join('');

  return { title, text: lines.join('\n'), html, data: messageData(content, language) };
}

/** One need of a reminder in the reader's words, with its due date or odometer (the API's per-item view). */
export interface ReminderItemText extends FindingText {
  id: string | null;
  status: ReminderItemContent['status'];
  risk: Risk;
  due: string;
}

export function renderReminderItems(content: ReminderContent, language: Language): ReminderItemText[] {
  const pack = PACKS[language];
  const items = content.items ?? [
    {
      component: content.component,
      risk: content.risk,
      status: 'OPEN' as const,
      finding: content.finding,
      dueAt: content.dueAt,
      dueOdometerKm: content.dueOdometerKm,
    },
  ];
  return items.map((item) => ({
    ...findingTexts(item, pack),
    id: item.id ?? null,
    status: item.status,
    risk: item.risk,
    due: dueText({ dueAt: item.dueAt, dueOdometerKm: item.dueOdometerKm, timeZone: content.timeZone }, pack).trim(),
  }));
}

function findingTexts(item: Pick<ReminderItemContent, 'component' | 'risk' | 'finding'>, pack: LanguagePack): FindingText {
  const known = pack.findings[item.finding.code];
  return known
    ? known({ params: new FindingParams(item.finding.params), subject: item.finding.subject, risk: item.risk })
    : { ...pack.fallback(pack.component[item.component]), why: item.finding.message };
}

/**
 * A visit's needs in one message: a line per open need with its evidence and its own due date, the needs already
 * fixed named once, one "how soon" for the visit (its worst need) and each distinct action once.
 */
function renderVisitMessage(content: ReminderContent, items: readonly ReminderItemContent[], language: Language): RenderedMessage {
  const pack = PACKS[language];
  const open = items.filter((item) => item.status === 'OPEN');
  const done = items.filter((item) => item.status === 'DONE');
  const openTexts = open.map((item) => ({ item, texts: findingTexts(item, pack) }));
  const headline = pack.visitHeadline(content.visit ?? null, pack.component[content.component], open.length);
  const title = `${pack.risk[content.risk]}${pack.titleSeparator}${headline}`;
  const lead = pack.visitLead(vehicleName(content), open.length);
  const visitDue = dueText(content, pack);
  const needLines = openTexts.map(({ item, texts }) => {
    const due = dueText({ dueAt: item.dueAt, dueOdometerKm: item.dueOdometerKm, timeZone: content.timeZone }, pack);
    // A need due when the visit is says so once, under "how soon"; one due later keeps its own date.
    return `${texts.headline}${pack.titleSeparator}${texts.why}${due === visitDue ? '' : due}`;
  });
  const doneLine =
    done.length > 0
      ? `${pack.alreadyDone}${pack.titleSeparator}${done.map((item) => findingTexts(item, pack).headline).join(pack.listSeparator)}`
      : undefined;
  const howSoon = pack.howSoon[content.risk] + visitDue;
  const actions = [...new Set(openTexts.map(({ texts }) => texts.action))].join(' ');
  const lines = [
    lead,
    ...needLines.map((line) => `- ${line}`),
    ...(doneLine === undefined ? [] : [doneLine]),
    `${pack.labels.howSoon}${pack.titleSeparator}${howSoon}`,
    `${pack.labels.whatToDo}${pack.titleSeparator}${actions}`,
  ];
  if (content.link) lines.push(`${pack.labels.open}${pack.titleSeparator}${content.link}`);

  const html = [
    `<!doctype html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(lead)}</p>`,
    `<ul>${needLines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    doneLine === undefined ? '' : `<p>${escapeHtml(doneLine)}</p>`,
    `<p><strong>${escapeHtml(pack.labels.howSoon)}</strong>${escapeHtml(pack.titleSeparator)}${escapeHtml(howSoon)}</p>`,
    `<p><strong>${escapeHtml(pack.labels.whatToDo)}</strong>${escapeHtml(pack.titleSeparator)}${escapeHtml(actions)}</p>`,
    content.link ? `<p><a href="${escapeHtml(content.link)}">${escapeHtml(pack.labels.open)}</a></p>` : '',
    '</body></html>',
  ].join('');

  return {
    title,
    text: lines.join('\n'),
    html,
    data: { ...messageData(content, language), items: open.length, subjects: open.map((item) => item.finding.subject).join(',') },
  };
}

function vehicleName(content: ReminderContent): string {
  const { make, model, plate } = content.vehicle;
  const name = `${make} ${model}`.trim();
  return plate ? `${name} (${plate})` : name;
}

function dueText(content: Pick<ReminderContent, 'dueAt' | 'dueOdometerKm' | 'timeZone'>, pack: LanguagePack): string {
  const dueAt = toDate(content.dueAt);
  const km = typeof content.dueOdometerKm === 'number' ? Math.round(content.dueOdometerKm).toLocaleString(pack.locale) : undefined;
  if (dueAt === undefined && km === undefined) return '';
  const date = dueAt === undefined ? undefined : formatDate(dueAt, pack.locale, content.timeZone ?? 'UTC');
  if (date !== undefined && km !== undefined) return `${pack.dueBy(date)}${pack.dueAtKm(km)}${pack.whicheverFirst}${pack.sentenceEnd}`;
  if (date !== undefined) return `${pack.dueBy(date)}${pack.sentenceEnd}`;
  return `${pack.dueAtKmOnly(km ?? '')}${pack.sentenceEnd}`;
}

function formatDate(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric' }).format(date);
}

function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function messageData(content: ReminderContent, language: Language): MessageData {
  const dueAt = toDate(content.dueAt);
  return {
    reminderId: content.reminderId ?? null,
    component: content.component,
    code: content.finding.code,
    subject: content.finding.subject,
    risk: content.risk,
    dueAt: dueAt?.toISOString() ?? null,
    dueOdometerKm: typeof content.dueOdometerKm === 'number' ? Math.round(content.dueOdometerKm) : null,
    link: content.link ?? null,
    language,
  };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
