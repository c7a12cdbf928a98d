// Appointments as a day or week view (GET /api/v1/appointments?from&to): each appointment in its slot (scheduled
// time, else the time the owner asked for), with confirm, reschedule, decline and complete; requests waiting outside
// the shown days are listed below. Draws with app.js's helpers, passed in as `ui`.

const SERVICE_KINDS = [
  'GENERAL_INSPECTION',
  'OIL_CHANGE',
  'TIRE_REPLACEMENT',
  'TIRE_ROTATION',
  'WHEEL_ALIGNMENT',
  'PUNCTURE_REPAIR',
  'BATTERY_REPLACEMENT',
  'BRAKE_SERVICE',
  'COOLANT_SERVICE',
  'THERMOSTAT_REPLACEMENT',
  'AIR_FILTER',
  'FUEL_SYSTEM_SERVICE',
  'OTHER',
];

const TEXT = {
  en: {
    title: 'Appointments',
    day: 'Day',
    week: 'Week',
    previous: '← Previous',
    today: 'Today',
    next: 'Next →',
    nothing: 'No appointments.',
    waiting: 'Requests waiting (other days)',
    status: { REQUESTED: 'Requested', CONFIRMED: 'Confirmed', DECLINED: 'Declined', COMPLETED: 'Completed', CANCELLED: 'Cancelled' },
    slot: 'Time',
    confirm: 'Confirm',
    reschedule: 'Reschedule',
    decline: 'Decline',
    complete: 'Complete',
    reason: 'Reason (to decline)',
    reasonNeeded: 'Give a reason to decline.',
    service: 'Work done',
    fromReminder: 'As the reminder says',
    odometer: 'Odometer (km)',
    done: { confirm: 'Confirmed', reschedule: 'Rescheduled', decline: 'Declined', complete: 'Completed: service recorded, the car is rescored' },
    notes: 'Notes',
    kinds: {
      GENERAL_INSPECTION: 'General inspection',
      OIL_CHANGE: 'Oil change',
      TIRE_REPLACEMENT: 'Tyre replacement',
      TIRE_ROTATION: 'Tyre rotation',
      WHEEL_ALIGNMENT: 'Wheel alignment',
      PUNCTURE_REPAIR: 'Puncture repair',
      BATTERY_REPLACEMENT: 'Battery replacement',
      BRAKE_SERVICE: 'Brake service',
      COOLANT_SERVICE: 'Coolant service',
      THERMOSTAT_REPLACEMENT: 'Thermostat replacement',
      AIR_FILTER: 'Air filter',
      FUEL_SYSTEM_SERVICE: 'Fuel system service',
      OTHER: 'Other',
    },
  },
  zh: {
    title: '预约',
    day: '日',
    week: '周',
    previous: '← 上一页',
    today: '今天',
    next: '下一页 →',
    nothing: '没有预约。',
    waiting: '待处理的请求（其他日期）',
    status: { REQUESTED: '待确认', CONFIRMED: '已确认', DECLINED: '已拒绝', COMPLETED: '已完成', CANCELLED: '已取消' },
    slot: '时间',
    confirm: '确认',
    reschedule: '改期',
    decline: '拒绝',
    complete: '完成',
    reason: '拒绝原因',
    reasonNeeded: '请填写拒绝原因。',
    service: '完成的项目',
    fromReminder: '按提醒内容',
    odometer: '里程 (km)',
    done: { confirm: '已确认', reschedule: '已改期', decline: '已拒绝', complete: '已完成：已记录保养，车辆将重新评估' },
    notes: '备注',
    kinds: {
      GENERAL_INSPECTION: '综合检查',
      OIL_CHANGE: '更换机油',
      TIRE_REPLACEMENT: '更换轮胎',
      TIRE_ROTATION: '轮胎换位',
      WHEEL_ALIGNMENT: '四轮定位',
      PUNCTURE_REPAIR: '补胎',
      BATTERY_REPLACEMENT: '更换电瓶',
      BRAKE_SERVICE: '刹车保养',
      COOLANT_SERVICE: '冷却液保养',
      THERMOSTAT_REPLACEMENT: '更换节温器',
      AIR_FILTER: '空气滤芯',
      FUEL_SYSTEM_SERVICE: '燃油系统保养',
      OTHER: '其他',
    },
  },
};

const words = (lang) => TEXT[lang] ?? TEXT.en;

/** Local midnight of a YYYY-MM-DD (or of today). */
function dayStart(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  const now = new Date();
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

const isoDay = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
const addDays = (date, days) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

/** The value a datetime-local input wants: local wall-clock time without seconds. */
function toLocalInput(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const slotOf = (appointment) => appointment.scheduledAt ?? appointment.preferredAt;

/** #/appointments?view=day|week&date=YYYY-MM-DD; a week starts on Monday. */
export async function appointmentsPage(params, ui) {
  const { h, api, render, lang } = ui;
  const w = words(lang);
  const view = params.get('view') === 'day' ? 'day' : 'week';
  const picked = dayStart(params.get('date'));
  const start = view === 'day' ? picked : addDays(picked, -((picked.getDay() + 6) % 7));
  const days = view === 'day' ? 1 : 7;
  const end = addDays(start, days);
  const [inRange, requested] = await Promise.all([
    api(`/appointments?from=${encodeURIComponent(start.toISOString())}&to=${encodeURIComponent(end.toISOString())}&limit=200`),
    api('/appointments?status=REQUESTED&limit=200'),
  ]);
  const shown = new Set(inRange.map((appointment) => appointment.id));
  const refresh = () => appointmentsPage(params, ui);
  const go = (nextView, date) => {
    location.hash = `#/appointments?view=${nextView}&date=${isoDay(date)}`;
  };
  const nav = h(
    'div',
    { class: 'week-nav' },
    h('button', { type: 'button', 'data-nav': 'previous', onclick: () => go(view, addDays(start, -days)) }, w.previous),
    h('button', { type: 'button', 'data-nav': 'today', onclick: () => go(view, new Date()) }, w.today),
    h('button', { type: 'button', 'data-nav': 'next', onclick: () => go(view, addDays(start, days)) }, w.next),
    h('a', { href: `#/appointments?view=day&date=${isoDay(start)}`, class: view === 'day' ? 'tab active' : 'tab' }, w.day),
    h('a', { href: `#/appointments?view=week&date=${isoDay(start)}`, class: view === 'week' ? 'tab active' : 'tab' }, w.week),
  );
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const columns = Array.from({ length: days }, (_, index) => {
    const day = addDays(start, index);
    const next = addDays(day, 1);
    const items = inRange
      .filter((appointment) => {
        const at = new Date(slotOf(appointment)).getTime();
        return at >= day.getTime() && at < next.getTime();
      })
      .sort((a, b) => new Date(slotOf(a)).getTime() - new Date(slotOf(b)).getTime());
    const today = isoDay(day) === isoDay(new Date());
    return h(
      'section',
      { class: `day-column${today ? ' today' : ''}`, 'data-day': isoDay(day) },
      h('h3', {}, day.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' })),
      items.length === 0 ? h('p', { class: 'small muted' }, w.nothing) : items.map((appointment) => appointmentCard(appointment, ui, refresh)),
    );
  });
  const waiting = requested.filter((appointment) => !shown.has(appointment.id));
  render(
    h('h1', {}, w.title),
    nav,
    h('div', { class: `week-grid days-${days}` }, columns),
    waiting.length === 0
      ? null
      : [
          h('h2', {}, w.waiting),
          h(
            'div',
            { class: 'list' },
            waiting.map((appointment) => appointmentCard(appointment, ui, refresh)),
          ),
        ],
  );
}

function appointmentCard(appointment, ui, refresh) {
  const { h, api, showStatus, lang, formatDate } = ui;
  const w = words(lang);
  const { vehicle, status } = appointment;
  const when = h('input', { type: 'datetime-local', class: 'field', value: toLocalInput(slotOf(appointment)), 'aria-label': w.slot });
  const reason = h('input', { type: 'text', class: 'field', maxlength: 1000, placeholder: w.reason, 'aria-label': w.reason });
  const kind = h(
    'select',
    { class: 'field', 'aria-label': w.service },
    appointment.reminderId ? h('option', { value: '' }, w.fromReminder) : null,
    SERVICE_KINDS.map((value) => h('option', { value }, w.kinds[value])),
  );
  const odometer = h('input', { type: 'number', class: 'field narrow', min: 0, step: 1, placeholder: w.odometer, 'aria-label': w.odometer });
  const buttons = [];
  const act = async (action) => {
    let body = {};
    if (action === 'confirm' || action === 'reschedule') {
      const at = new Date(when.value);
      if (Number.isNaN(at.getTime())) return when.focus();
      body = { scheduledAt: at.toISOString() };
    } else if (action === 'decline') {
      if (!reason.value.trim()) {
        showStatus(w.reasonNeeded);
        return reason.focus();
      }
      body = { reason: reason.value.trim() };
    } else if (action === 'complete') {
      if (kind.value) body.serviceKind = kind.value;
      if (odometer.value !== '') body.odometerKm = Number(odometer.value);
    }
    for (const button of buttons) button.disabled = true;
    try {
      await api(`/appointments/${encodeURIComponent(appointment.id)}/${action}`, { method: 'POST', body });
      await refresh();
      showStatus(`${w.done[action]}: ${vehicle.make} ${vehicle.model} (${vehicle.plate ?? vehicle.vin})`, 'info');
    } catch (error) {
      showStatus(error.message);
      for (const button of buttons) button.disabled = false;
    }
  };
  const button = (action, primary = false) => {
    const element = h(
      'button',
      { type: 'button', class: primary ? 'primary' : '', 'data-action': action, onclick: () => void act(action) },
      w[action],
    );
    buttons.push(element);
    return element;
  };
  const open = status === 'REQUESTED' || status === 'CONFIRMED';
  return h(
    'article',
    { class: `appointment status-${status}`, 'data-appointment': appointment.id, 'data-status': status },
    h(
      'div',
      {},
      h('strong', {}, new Date(slotOf(appointment)).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' })),
      ' ',
      h('span', { class: 'badge' }, w.status[status] ?? status),
    ),
    h('a', { class: 'title', href: `#/vehicle/${encodeURIComponent(vehicle.vin)}` }, `${vehicle.make} ${vehicle.model}`),
    h('div', { class: 'small' }, vehicle.plate ? `${vehicle.plate} · ${vehicle.vin}` : vehicle.vin),
    status === 'REQUESTED' ? h('div', { class: 'small' }, formatDate(appointment.preferredAt)) : null,
    appointment.notes ? h('div', { class: 'small notes' }, `${w.notes}: ${appointment.notes}`) : null,
    open
      ? h(
          'div',
          { class: 'appointment-actions' },
          h('div', {}, when, status === 'REQUESTED' ? button('confirm', true) : button('reschedule')),
          status === 'CONFIRMED' ? h('div', {}, kind, odometer, button('complete', true)) : null,
          h('div', {}, reason, button('decline')),
        )
      : null,
  );
}
