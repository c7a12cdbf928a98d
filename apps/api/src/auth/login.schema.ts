import { z } from 'zod';
import { storable, text } from '../common/text.schema.js';

export const loginSchema = z.object({
  email: storable(z.email()).transform((email) => email.toLowerCase()),
  password: text().min(1).max(200),
});

export type LoginRequest = z.output<typeof loginSchema>;

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: { id: string; email: string; role: string; name: string; serviceCenterId: string | null };
}

/**
 * An owner's first password is the one staff handed over with the car's registration: they change it here.
 * Ten characters at least; a passphrase is welcome (up to 200). Its strength for this user (zxcvbn, not the
 * e-mail, not `password12`) is checked by AuthService, which knows who the user is.
 */
export const changePasswordSchema = z
  .object({
    currentPassword: text().min(1).max(200),
    newPassword: text().min(10, 'must be at least 10 characters').max(200),
  })
  .refine((body) => body.newPassword !== body.currentPassword, { error: 'must differ from the current password', path: ['newPassword'] });

export type ChangePasswordRequest = z.output<typeof changePasswordSchema>;
