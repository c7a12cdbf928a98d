import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ObdLogUnreadableError } from './obd-log-unreadable.error.js';

/** The part of a multer file this feature reads (@types/multer is not installed). */
export interface MultipartFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export interface UploadedObdLog {
  fileName: string;
  bytes: Buffer;
}

const RAW_TYPES = ['text/csv', 'text/plain', 'application/octet-stream'];

/**
 * The log from a multipart upload (multer has read it, within its size limit) or from a text/csv body, read
 * here with the same limit: Nest's Express parsers read JSON and forms only, and a maintained raw-body parser
 * is not a direct dependency; the limit is checked against Content-Length first, then while reading.
 */
export async function uploadedObdLog(
  request: IncomingMessage,
  file: MultipartFile | undefined,
  fileName: string | undefined,
  maxBytes: number,
): Promise<UploadedObdLog> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'multipart/form-data') {
    if (file === undefined) throw new ObdLogUnreadableError('no file: send the log in the multipart field "file"');
    return { fileName: file.originalname, bytes: file.buffer };
  }
  if (!RAW_TYPES.includes(type)) {
    throw new UnsupportedMediaTypeException(
      `send the log as multipart/form-data (field "file") or as a text/csv body, not ${type || 'no content type'}`,
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(buffer);
  }
  return { fileName: fileName ?? 'upload.csv', bytes: Buffer.concat(chunks) };
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`the log is larger than ${String(maxBytes / 1024 / 1024)} MiB: split it into several files`);
}
