import { z } from 'zod';
import { deviceSerialProblem } from '#app/broker-auth';
import { text } from '../common/text.schema.js';

export const provisionDeviceSchema = z
  .object({
    /** The box's own serial; becomes its MQTT username and client id. Generated when left out. */
    serial: text()
      .trim()
      .superRefine((serial, context) => {
        const problem = deviceSerialProblem(serial);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .default({});

export type ProvisionDeviceRequest = z.output<typeof provisionDeviceSchema>;

export const deviceIdSchema = z.uuid({ error: 'must be a device id (UUID)' });
