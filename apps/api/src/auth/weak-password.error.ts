import { RequestValidationError } from '../common/request-validation.error.js';

/** A new password the strength rule refuses: a 400 naming the field, with zxcvbn's reason for the apps to show. */
export class WeakPasswordError extends RequestValidationError {
  constructor(field: string, reason: string) {
    super([{ code: 'custom', path: [field], message: reason, input: undefined }]);
    this.name = 'WeakPasswordError';
  }
}
