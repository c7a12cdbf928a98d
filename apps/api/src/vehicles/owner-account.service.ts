import { Injectable } from '@nestjs/common';
import { generateInitialPassword, hashPassword } from '#app/auth';
import { AccountRepository } from '../auth/account.repository.js';
import { systemScope } from '../common/vehicle-scope.model.js';
import { OwnerEmailConflictError } from './owner-email-conflict.error.js';
import type { OwnerLink } from './vehicle.repository.js';

export interface OwnerDetails {
  email: string;
  name?: string;
  phone?: string;
}

/** Decides whether a new vehicle's owner is an existing account or one to create, with its first password. */
@Injectable()
export class OwnerAccountService {
  constructor(private readonly accounts: AccountRepository) {}

  async resolve(owner: OwnerDetails): Promise<{ link: OwnerLink; initialPassword?: string }> {
    const existing = await this.accounts.findByEmail(systemScope('an e-mail names one account across centers'), owner.email);
    if (existing) {
      // A staff account must not silently become a car owner (and see that car as an owner).
      if (existing.role !== 'OWNER') throw new OwnerEmailConflictError(owner.email);
      return { link: { existingUserId: existing.id } };
    }
    const initialPassword = generateInitialPassword();
    return {
      link: {
        create: {
          email: owner.email,
          name: owner.name ?? owner.email.split('@')[0],
          ...(owner.phone === undefined ? {} : { phone: owner.phone }),
          passwordHash: await hashPassword(initialPassword),
        },
      },
      initialPassword,
    };
  }
}
