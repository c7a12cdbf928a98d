// The sample's one definition lives in the maintenance vocabulary (the models read what ingestion
// stores); re-exported so the contract's users keep importing it from here.
export { type TelemetrySample, type TireMeasurement, WHEEL_POSITIONS, type WheelPosition } from '#app/maintenance/vocabulary';
