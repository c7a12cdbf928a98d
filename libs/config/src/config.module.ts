import { type DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token for the app's validated config (ApiConfig, WorkerConfig, IngestionConfig...). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the config its app's loader returns, read from the environment once, to every module of the app. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(load: () => object): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useFactory: load }], exports: [APP_CONFIG] };
  }
}
