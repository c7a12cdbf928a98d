export * from './service-schedule.model.js';
export type { ServiceScheduleState, StoredMark } from './service-schedule-state.js';
export { serviceItemsFor, type ServiceItem } from './service-items.js';
export { addMonths } from './calendar.js';
