export * from './access-token.service.js';
export * from './auth-core.module.js';
export * from './auth.decorator.js';
export * from './insufficient-role.error.js';
export * from './invalid-access-token.error.js';
export * from './jwt-auth.guard.js';
export * from './password.hasher.js';
export * from './request-user.model.js';
