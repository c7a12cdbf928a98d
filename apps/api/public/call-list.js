// The worked call list: on each customer to call, what the last call came to and buttons to record this one
// (POST /api/v1/dashboard/call-list/{vin}/outcomes); on the vehicle page, the car's calls and its audit trail
// (who recorded which outcome, who changed which appointment). Draws with app.js's helpers, passed in as `ui`.

export const OUTCOMES = ['CALLED', 'NO_ANSWER', 'BOOKED', 'DECLINED', 'CALL_AGAIN'];

const TEXT = {
  en: {
    outcomes: { CALLED: 'Called', NO_ANSWER: 'No answer', BOOKED: 'Booked', DECLINED: 'Declined', CALL_AGAIN: 'Call again' },
    note: 'Note',
    noteHint: 'What was said',
    when: 'Call again on / appointment at',
    whenNeeded: 'Choose the date to call again.',
    lastCall: 'Last call',
    by: 'by',
    heldUntil: 'Off the list until',
    resurfaced: {
      'hold-ended': 'Due again',
      'risk-rose': 'Back: the risk rose since the call',
      'new-finding': 'Back: a new finding since the call',
      'became-overdue': 'Back: now overdue',
      'never-called': '',
    },
    recorded: 'Recorded',
    backOn: 'back on the list',
    toCall: 'To call',
    handled: 'Handled',
    noneHandled: 'No call holds a car off the list.',
    calls: 'Calls',
    noCalls: 'No calls recorded.',
    audit: 'Audit trail',
    noAudit: 'Nothing recorded yet.',
    actions: {
      reschedule: 'Appointment rescheduled',
      confirm: 'Appointment confirmed',
      decline: 'Appointment declined',
      complete: 'Appointment completed',
      cancel: 'Appointment cancelled',
    },
    callAction: 'Call',
  },
  zh: {
    outcomes: { CALLED: '已通话', NO_ANSWER: '无人接听', BOOKED: '已预约', DECLINED: '已拒绝', CALL_AGAIN: '稍后再打' },
    note: '备注',
    noteHint: '通话内容',
    when: '再次致电日期 / 预约时间',
    whenNeeded: '请选择再次致电的日期。',
    lastCall: '上次致电',
    by: '由',
    heldUntil: '暂不显示，直到',
    resurfaced: {
      'hold-ended': '再次到期',
      'risk-rose': '重新列出：致电后风险升高',
      'new-finding': '重新列出：致电后有新发现',
      'became-overdue': '重新列出：现已逾期',
      'never-called': '',
    },
    recorded: '已记录',
    backOn: '重新列出于',
    toCall: '待致电',
    handled: '已处理',
    noneHandled: '没有被暂缓的车辆。',
    calls: '致电记录',
    noCalls: '没有致电记录。',
    audit: '操作记录',
    noAudit: '暂无记录。',
    actions: { reschedule: '预约已改期', confirm: '预约已确认', decline: '预约已拒绝', complete: '预约已完成', cancel: '预约已取消' },
    callAction: '致电',
  },
};

export const callWords = (lang) => TEXT[lang] ?? TEXT.en;

/** The value of a datetime-local input as an ISO instant, or null when empty or invalid. */
function instantOf(input) {
  if (!input.value) return null;
  const date = new Date(input.value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function lastCallLine(call, ui) {
  const w = callWords(ui.lang);
  if (!call) return null;
  const { lastCall } = call;
  const parts = [
    `${w.lastCall}: ${w.outcomes[lastCall.outcome] ?? lastCall.outcome}`,
    `${w.by} ${lastCall.staff.name}`,
    ui.formatDate(lastCall.createdAt),
  ];
  return ui.h(
    'div',
    { class: 'small call-last', 'data-last-outcome': lastCall.outcome },
    parts.join(' · '),
    lastCall.note ? ` — ${lastCall.note}` : null,
    call.hiddenUntil ? ui.h('div', {}, `${w.heldUntil} ${ui.formatDate(call.hiddenUntil)}`) : null,
    call.resurfaced && w.resurfaced[call.resurfaced] ? ui.h('div', { class: 'call-back' }, w.resurfaced[call.resurfaced]) : null,
  );
}

/** The outcome controls of one customer to call; `onRecorded` runs after the API took the outcome. */
export function callPanel(item, ui, onRecorded) {
  const { h, api, showStatus, lang } = ui;
  const w = callWords(lang);
  const note = h('input', { type: 'text', class: 'field', maxlength: 2000, placeholder: w.noteHint, 'aria-label': w.note });
  const when = h('input', { type: 'datetime-local', class: 'field', 'aria-label': w.when, title: w.when });
  const buttons = OUTCOMES.map((outcome) =>
    h('button', { type: 'button', class: outcome === 'BOOKED' ? 'primary' : '', 'data-outcome': outcome }, w.outcomes[outcome]),
  );
  const send = async (outcome) => {
    const body = { outcome };
    if (note.value.trim()) body.note = note.value.trim();
    const at = instantOf(when);
    if (outcome === 'CALL_AGAIN') {
      if (!at) {
        showStatus(w.whenNeeded);
        when.focus();
        return;
      }
      body.callAgainAt = at;
    }
    if (outcome === 'BOOKED' && at) body.appointmentAt = at;
    for (const button of buttons) button.disabled = true;
    try {
      const recorded = await api(`/dashboard/call-list/${encodeURIComponent(item.vin)}/outcomes`, { method: 'POST', body });
      await onRecorded();
      showStatus(`${w.recorded}: ${w.outcomes[outcome]} (${item.vin}) · ${w.backOn} ${ui.formatDate(recorded.hiddenUntil)}`, 'info');
    } catch (error) {
      showStatus(error.message);
      for (const button of buttons) button.disabled = false;
    }
  };
  buttons.forEach((button, index) => button.addEventListener('click', () => void send(OUTCOMES[index])));
  return h(
    'div',
    { class: 'call-panel', 'data-call-vin': item.vin },
    lastCallLine(item.call, ui),
    h('div', { class: 'call-controls' }, note, h('label', { class: 'small' }, `${w.when} `, when), buttons),
  );
}

/** "To call" / "Handled (n)": the two views of the list. */
export function callViewTabs(view, handled, risk, ui) {
  const w = callWords(ui.lang);
  const link = (target, label) =>
    ui.h(
      'a',
      { href: `#/customers?risk=${encodeURIComponent(risk)}&view=${target}`, class: view === target ? 'tab active' : 'tab', 'data-view': target },
      label,
    );
  return ui.h('p', { class: 'tabs' }, link('due', w.toCall), ' ', link('handled', `${w.handled} (${handled})`));
}

/** The vehicle page's "Calls" and "Audit trail" sections. */
export async function callSections(vin, ui) {
  const { h, api, lang, formatDate } = ui;
  const w = callWords(lang);
  const path = encodeURIComponent(vin);
  const [calls, audit] = await Promise.all([
    api(`/dashboard/call-list/${path}/outcomes?limit=50`).catch((error) => error),
    api(`/dashboard/vehicles/${path}/audit?limit=100`).catch((error) => error),
  ]);
  const failed = (error) => h('p', { class: 'card muted' }, error.message);
  const callList =
    calls instanceof Error
      ? failed(calls)
      : calls.items.length === 0
        ? h('p', { class: 'card muted' }, w.noCalls)
        : h(
            'ul',
            { class: 'card findings calls' },
            calls.items.map((call) =>
              h(
                'li',
                {},
                `${formatDate(call.createdAt)} · ${w.outcomes[call.outcome] ?? call.outcome} · ${w.by} ${call.staff.name}`,
                call.callAgainAt ? ` · ${w.outcomes.CALL_AGAIN} ${formatDate(call.callAgainAt)}` : '',
                call.note ? ` — ${call.note}` : '',
              ),
            ),
          );
  const auditList =
    audit instanceof Error
      ? failed(audit)
      : audit.items.length === 0
        ? h('p', { class: 'card muted' }, w.noAudit)
        : h(
            'table',
            { class: 'audit' },
            h(
              'tbody',
              {},
              audit.items.map((line) =>
                h(
                  'tr',
                  { 'data-action': line.action },
                  h('td', {}, formatDate(line.at)),
                  h('td', {}, line.actor.name),
                  h('td', {}, auditText(line, w, formatDate)),
                ),
              ),
            ),
          );
  return [h('h2', {}, w.calls), callList, h('h2', {}, w.audit), h('div', { class: 'table-wrap' }, auditList)];
}

function auditText(line, w, formatDate) {
  const [kind, what] = line.action.split('.');
  const detail = line.detail ?? {};
  if (kind === 'call') {
    const extra = detail.appointmentScheduledAt ? ` · ${formatDate(detail.appointmentScheduledAt)}` : '';
    return `${w.callAction}: ${w.outcomes[what] ?? what}${extra}${detail.note ? ` — ${detail.note}` : ''}`;
  }
  const parts = [w.actions[what] ?? line.action];
  if (detail.scheduledAt) parts.push(formatDate(detail.scheduledAt));
  if (detail.serviceKind) parts.push(detail.serviceKind);
  if (detail.reason) parts.push(detail.reason);
  return parts.join(' · ');
}
