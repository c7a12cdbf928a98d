// @ts-check
// An API error answer in the reader's language, for both front-ends (the owner app imports it by URL like the
// charts). The API speaks English (its messages are for the caller's developer and the logs); in Chinese the
// front-ends name the failure from the error's `error` name, else from the HTTP status, so an owner or an
// advisor never reads an English sentence in a Chinese page. In English the API's own message is clearest.

/** The failures a person can meet in the apps, by the API's error name. */
const ZH_BY_NAME = /** @type {Record<string, string>} */ ({
  InvalidCredentialsError: '邮箱或密码不正确',
  WrongCurrentPasswordError: '当前密码不正确',
  InvalidAccessTokenError: '登录已过期，请重新登录',
  InsufficientRoleError: '您的账号没有权限执行此操作',
  MissingServiceCenterError: '此账号未关联服务中心',
  RequestValidationError: '输入有误，请检查后重试',
  InvalidReminderDateError: '所选日期不可用：稍后提醒最长 90 天，预约不能选过去的时间',
  InvalidReminderTransitionError: '此提醒的状态已改变，无法执行该操作，请刷新',
  ReminderNotFoundError: '找不到此提醒，可能已关闭',
  AppointmentNotFoundError: '找不到此预约',
  InvalidAppointmentTransitionError: '此预约的状态已改变，无法执行该操作，请刷新',
  ServiceKindRequiredError: '请选择完成的保养项目',
  VehicleNotFoundError: '找不到此车辆',
  VehicleNotScoredError: '此车辆还没有评估结果，不在待联系名单中',
  DuplicateVinError: '此车架号已登记',
  DuplicateDeviceSerialError: '此设备序列号已登记',
  DeviceNotFoundError: '找不到此设备',
  OwnerEmailConflictError: '此邮箱属于非车主账号',
  BrokerNotUpdatedError: '已保存，但消息服务器未更新，请重试',
  PushSubscriptionNotFoundError: '找不到此推送订阅',
  TooManyRequestsError: '请求过于频繁，请稍后再试',
});

/** @type {Record<number, string>} */
const ZH_BY_STATUS = {
  400: '请求有误',
  401: '请重新登录',
  403: '没有权限执行此操作',
  404: '找不到所请求的内容',
  409: '状态已改变，请刷新后重试',
  413: '文件太大',
  429: '请求过于频繁，请稍后再试',
  503: '服务暂时不可用，请稍后重试',
};

/**
 * @param {number} status the HTTP status
 * @param {unknown} payload the error answer's JSON body, or null
 * @param {string} lang
 * @returns {string | undefined} the text to show, or undefined when there is nothing more specific than the status
 */
export function apiErrorText(status, payload, lang) {
  const body = typeof payload === 'object' && payload !== null ? /** @type {{ error?: unknown; message?: unknown }} */ (payload) : {};
  if (lang === 'zh') {
    const byName = typeof body.error === 'string' ? ZH_BY_NAME[body.error] : undefined;
    return byName ?? ZH_BY_STATUS[status] ?? (status >= 500 ? '服务器出错，请稍后重试' : undefined);
  }
  const message = Array.isArray(body.message) ? body.message.map(String).join(', ') : body.message;
  if (typeof message === 'string' && message !== '') return message;
  return typeof body.error === 'string' && body.error !== '' ? body.error : undefined;
}
