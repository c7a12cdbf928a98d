export type ObdLogFormat = 'carobd' | 'cephasax';

/**
 * Recognises a log by its header line alone, so a caller can pick the parser before decoding the
 * whole file. carOBD headers carry the upstream logger's misspelled `ENGINE_RUN_TINE`; cephasax
 * headers are semicolon-separated with a VEHICLE_ID column.
 */
export function detectObdLogFormat(header: string): ObdLogFormat | undefined {
  const firstLine = header.split(/\r?\n/, 1)[0] ?? '';
  if (/ENGINE_RUN_TI[NM]E\s*\(\)/.test(firstLine) && firstLine.includes(',')) return 'carobd';
  if (firstLine.includes(';') && /(^|;)VEHICLE_ID(;|$)/.test(firstLine) && firstLine.includes('ENGINE_RUNTIME')) {
    return 'cephasax';
  }
  return undefined;
}
