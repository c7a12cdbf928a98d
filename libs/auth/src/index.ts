export * from './access-token.service.js';
export * from './auth-core.module.js';
export * from './auth.decorators.js';
export * from './auth.errors.js';
export * from './jwt-auth.guard.js';
export * from './password.hasher.js';
export * from './request-user.model.js';
