// 面向车主的中文文案: the same finding codes as english.catalog.ts, written for Chinese-speaking owners.
import type { FindingTextCatalog, FindingTextInput } from './finding-text.model.js';

const WHEELS: Record<string, string> = { FL: '左前', FR: '右前', RL: '左后', RR: '右后' };
const SERVICE_ITEMS: Record<string, string> = {
  oil: '机油保养',
  'air-filter': '更换空气滤清器',
  'brake-fluid': '更换制动液',
  coolant: '更换冷却液',
  'tire-rotation': '轮胎换位',
  inspection: '常规检查',
};

const km = (n: number): string => `${Math.round(n).toLocaleString('zh-CN')} 公里`;
const wheelOf = (i: FindingTextInput, key = 'wheel'): string => WHEELS[i.params.str(key) ?? i.subject] ?? '某个';
const opt = (value: number | undefined, text: (v: number) => string): string => (value === undefined ? '' : text(value));

export const CHINESE_FINDINGS: FindingTextCatalog = {
  TIRE_TREAD_WEAR: (i) => {
    const p = i.params;
    const tread = p.num('treadMm');
    return {
      headline: `${wheelOf(i)}轮胎花纹即将磨损到限`,
      why:
        `该轮胎花纹深度为 ${tread ?? '?'} 毫米` +
        opt(p.num('wearMmPer1000Km'), (w) => `，每行驶 1,000 公里磨损约 ${w} 毫米`) +
        opt(p.num('kmTo3mm'), (k) => (k > 0 ? `，预计再行驶约 ${km(k)}将降至 3.0 毫米` : '')) +
        '。',
      action:
        tread !== undefined && tread < 1.6
          ? '花纹深度已低于 1.6 毫米的法定最低标准，请在继续行驶前更换轮胎。'
          : '请预约更换轮胎，我们建议在花纹深度降至 3.0 毫米时更换。',
    };
  },
  TIRE_SLOW_LEAK: (i) => {
    const p = i.params;
    return {
      headline: `${wheelOf(i)}轮胎正在漏气`,
      why:
        `该轮胎每天比同轴另一侧轮胎多损失约 ${p.num('lossKpaPerDay') ?? '?'} 千帕气压` +
        opt(p.num('recentDropKpa'), (d) => (d > 0 ? `，近期已下降 ${d} 千帕` : '')) +
        '。',
      action:
        i.risk === 'CRITICAL'
          ? '请在安全的情况下尽快停车检查轮胎，可能已被扎破。'
          : `请${opt(p.num('daysToUnsafe'), (d) => `在 ${Math.max(1, Math.floor(d))} 天内`)}检查是否有慢撒气或气门嘴漏气。`,
    };
  },
  TIRE_PRESSURE_LOSS: (i) => {
    const p = i.params;
    return {
      headline: `${wheelOf(i)}轮胎正在快速失压`,
      why:
        `该轮胎气压为 ${p.num('pressureKpa') ?? '?'} 千帕` +
        opt(p.num('referenceKpa'), (r) => `，比其他轮胎（${r} 千帕）低 ${p.num('deficitPct') ?? '?'}%`) +
        '，很可能被扎破。' +
        (p.num('lowReadings') === 1 ? '目前只有一次读数：如果是传感器误报，下一次读数会自动解除此提醒。' : ''),
      action:
        i.risk === 'CRITICAL'
          ? '请在安全的情况下尽快停车检查轮胎，气压这么低请勿继续行驶（换上备胎或呼叫救援）。'
          : '请立即检查轮胎并按车门标签上的标准气压充气；如果再次失压，请去修补。',
    };
  },
  TIRE_UNDER_INFLATED: (i) => {
    const p = i.params;
    return {
      headline: `${wheelOf(i)}轮胎气压不足`,
      why:
        `该轮胎气压为 ${p.num('pressureKpa') ?? '?'} 千帕` +
        opt(p.num('referenceKpa'), (r) => `，比其他轮胎（${r} 千帕）低 ${p.num('deficitPct') ?? '?'}%`) +
        '。',
      action: '请按车门标签上的标准气压充气，并在几天后再次检查。',
    };
  },
  TIRE_UNEVEN_WEAR: (i) => ({
    headline: `${wheelOf(i)}轮胎磨损不均匀`,
    why: `该轮胎比同轴的${wheelOf(i, 'partner')}轮胎磨损更快${opt(i.params.num('depthDiffMm'), (d) => `（花纹浅 ${d} 毫米）`)}。`,
    action: '请检查四轮定位。',
  }),
  COOLANT_DRIFT: (i) => {
    const p = i.params;
    return {
      headline: '发动机温度比平时偏高',
      why:
        `发动机热车后的温度约为 ${p.num('currentC') ?? '?'}°C，平时约为 ${p.num('baselineC') ?? '?'}°C` +
        opt(p.num('daysToDanger'), (d) => `，按目前趋势约 ${d} 天后将达到危险温度`) +
        '。',
      action: '请检查冷却系统（冷却液液位、散热器、风扇、水泵）。',
    };
  },
  COOLANT_STEP: (i) => {
    const p = i.params;
    return {
      headline: '发动机温度突然升高',
      why:
        `最近 ${p.num('drives') ?? '?'} 次行驶中，发动机热车后的温度约为 ${p.num('currentC') ?? '?'}°C，之前约为 ${p.num('beforeC') ?? '?'}°C` +
        opt(p.num('spreadC'), (d) => `（平时每次行驶相差约 ${d}°C）`) +
        '。',
      action: '请在过热之前检查冷却系统（冷却液液位、水泵、散热器、风扇、节温器）。',
    };
  },
  COOLANT_OVERHEAT: (i) => {
    const p = i.params;
    return {
      headline: '发动机过热',
      why: `发动机近期过热 ${p.num('episodes') ?? '?'} 次，最高达到 ${p.num('peakC') ?? '?'}°C。`,
      action:
        i.risk === 'CRITICAL'
          ? '请在安全的情况下尽快停车，让发动机冷却：继续行驶可能损坏发动机。请联系维修厂。'
          : '请尽快检查冷却系统；如果水温警告灯亮起，请停车让发动机冷却。',
    };
  },
  THERMOSTAT_STUCK_OPEN: (i) => {
    const p = i.params;
    return {
      headline: '节温器可能卡在常开位置',
      why: `在最近 ${p.num('coldDrives') ?? '?'} 次足以暖机的行程中，发动机温度一直停留在 ${p.num('minC') ?? '?'}-${p.num('maxC') ?? '?'}°C，未达到正常温度${p.num('beforeMinC') === undefined ? '' : `（以前为 ${p.num('beforeMinC') ?? '?'}-${p.num('beforeMaxC') ?? '?'}°C）`}。`,
      action: '请更换节温器：发动机温度过低会增加油耗并加快磨损。',
    };
  },
  COOLANT_DANGER_EPISODES: (i) => {
    const p = i.params;
    return {
      headline: '发动机温度接近过热',
      why: `最近两周内有 ${p.num('days') ?? '?'} 天、共 ${p.num('episodes') ?? '?'} 次水温超过 105°C，最高达到 ${p.num('peakC') ?? '?'}°C。`,
      action: '请在发动机过热之前检查冷却液液位、风扇和散热器。',
    };
  },
  COOLANT_SENSOR_STUCK: (i) => ({
    headline: '冷却液温度传感器可能故障',
    why: `行驶中该读数连续 ${i.params.num('hours') ?? '?'} 小时没有变化。`,
    action: '请在下次到店时检查传感器及其线路。',
  }),
  FUEL_ECONOMY_DEGRADED: (i) => ({
    headline: '油耗升高',
    why:
      `在相同的驾驶条件下，您的车辆油耗比以前高出约 ${Math.round(i.params.num('degradationPct') ?? 0)}%` +
      opt(i.params.num('daysToTarget'), (d) => `，并且仍在上升（约 ${d} 天后达到下一个阈值）`) +
      '。',
    action: '请检查车辆：常见原因包括空气滤清器堵塞、火花塞磨损、传感器故障、胎压过低或刹车拖滞。',
  }),
  FUEL_RATE_SENSOR_STUCK: () => ({
    headline: '油耗读数停滞不变',
    why: '行驶中油耗读数连续一个小时以上完全没有变化。',
    action: '请在下次到店时检查车载设备或传感器。',
  }),
  BATTERY_LOW_CHARGE: (i) => ({
    headline: '蓄电池电量偏低',
    why:
      `熄火时蓄电池电压为 ${i.params.num('restingV') ?? '?'} 伏，健康的蓄电池应在 12.3 伏以上` +
      opt(i.params.num('daysToLow'), (d) => `，且仍在下降（约 ${d} 天后降至临界值）`) +
      '。',
    action: '请检测蓄电池：车辆可能无法启动，天气寒冷时尤其如此。',
  }),
  BATTERY_WEAK_CRANKING: (i) => ({
    headline: '蓄电池老化',
    why: `启动发动机时电压降至 ${i.params.num('crankV') ?? '?'} 伏` + opt(i.params.num('baselineCrankV'), (b) => `（以前为 ${b} 伏）`) + '。',
    action: '请在车辆无法启动之前检测或更换蓄电池。',
  }),
  CHARGING_VOLTAGE_LOW: (i) => ({
    headline: '蓄电池充电不足',
    why: `发动机运转时蓄电池电压只有 ${i.params.num('chargingV') ?? '?'} 伏（正常为 13.5-14.8 伏）。`,
    action: '请检查发电机和充电系统。',
  }),
  CHARGING_VOLTAGE_HIGH: (i) => ({
    headline: '蓄电池过度充电',
    why: `发动机运转时蓄电池电压为 ${i.params.num('chargingV') ?? '?'} 伏，高于正常的 14.8 伏。`,
    action: '请检查电压调节器：过度充电会损坏蓄电池和车载电子设备。',
  }),
  BATTERY_SENSOR_STUCK: () => ({
    headline: '蓄电池电压读数停滞不变',
    why: '蓄电池电压读数连续数小时没有变化。',
    action: '请在下次到店时检查车载设备。',
  }),
  DTC_ACTIVE: (i) => {
    const dtc = i.params.str('dtc') ?? i.subject;
    return {
      headline: `故障码 ${dtc} 处于激活状态`,
      // The DTC titles come from an English table in libs/maintenance: shown as they are.
      why: `车辆报告故障码 ${dtc}（${i.params.str('title') ?? '故障'}）${opt(i.params.num('daysSeen'), (d) => `，已出现 ${d} 天`)}。`,
      action: i.risk === 'CRITICAL' || i.risk === 'URGENT' ? '请尽快对车辆进行诊断。' : '请在下次保养时进行诊断。',
    };
  },
  DTC_INTERMITTENT: (i) => {
    const dtc = i.params.str('dtc') ?? i.subject;
    return {
      headline: `故障码 ${dtc} 时有时无`,
      why: `车辆在 ${i.params.num('daysSeen') ?? '?'} 天中报告过故障码 ${dtc}（${i.params.str('title') ?? '故障'}），目前未激活。`,
      action: '间歇性故障往往会再次出现，请在下次保养时告知技师。',
    };
  },
  SERVICE_DUE: (i) => {
    const p = i.params;
    const item = SERVICE_ITEMS[p.str('item') ?? i.subject] ?? '定期保养';
    const remainingKm = p.num('remainingKm');
    const daysLeft = p.num('daysLeft');
    const overdue = (remainingKm !== undefined && remainingKm < 0) || (daysLeft !== undefined && daysLeft < 0);
    const parts = [
      remainingKm === undefined ? undefined : remainingKm < 0 ? `已超出 ${km(-remainingKm)}` : `还剩 ${km(remainingKm)}`,
      daysLeft === undefined ? undefined : daysLeft < 0 ? `已逾期 ${-daysLeft} 天` : `还剩约 ${daysLeft} 天`,
    ].filter((x) => x !== undefined);
    return {
      headline: overdue ? `${item}已逾期` : `${item}即将到期`,
      why:
        `从上次（${p.str('lastDoneAt') ?? '?'}）开始计算${parts.length > 0 ? `：${parts.join('，')}` : ''}。` +
        (p.str('baselineAssumed') === 'yes' ? '我们没有该项目的记录，因此从首次接入车辆时开始计算。' : ''),
      action: overdue ? '请立即预约保养。' : '请向您的服务中心预约保养。',
    };
  },
};
