import { z } from 'zod';
import { deviceSerialProblem } from '#app/broker-auth';

export const provisionDeviceSchema = z
  .object({
    /** The box's own serial; becomes its MQTT username and client id. Generated when left out. */
    serial: z
      .string()
      .trim()
      .superRefine((serial, context) => {
        const problem = deviceSerialProblem(serial);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .default({});

export type ProvisionDeviceRequest = z.output<typeof provisionDeviceSchema>;

export const deviceIdSchema = z.uuid({ message: 'must be a device id (UUID)' });
