import { z } from 'zod';
import { DEVICE_SERIAL_PATTERN } from '#app/broker-auth';
import { text } from '../common/text.schema.js';

export const provisionDeviceSchema = z
  .object({
    /** The box's own serial; becomes its MQTT username and client id. Generated when left out. */
    serial: text()
      .trim()
      .regex(DEVICE_SERIAL_PATTERN, 'serial must be 3-64 letters, digits, dots, dashes or underscores')
      .optional(),
  })
  .default({});

export type ProvisionDeviceRequest = z.output<typeof provisionDeviceSchema>;

export const deviceIdSchema = z.uuid({ message: 'must be a device id (UUID)' });
