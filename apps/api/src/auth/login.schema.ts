import { z } from 'zod';

export const loginSchema = z.object({
  email: z.email().transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(200),
});

export type LoginRequest = z.output<typeof loginSchema>;

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: { id: string; email: string; role: string; name: string; serviceCenterId: string | null };
}
