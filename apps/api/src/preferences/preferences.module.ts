import { Module } from '@nestjs/common';
import { PreferenceRepository } from './preference.repository.js';
import { PreferencesController } from './preferences.controller.js';
import { PreferencesService } from './preferences.service.js';

@Module({ controllers: [PreferencesController], providers: [PreferencesService, PreferenceRepository] })
export class PreferencesModule {}
