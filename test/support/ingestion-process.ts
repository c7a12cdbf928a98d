import { AppProcess } from './app-process.js';

/** The real ingestion app as a child process (see AppProcess). */
export class IngestionProcess extends AppProcess {
  constructor(env: Record<string, string>) {
    super('ingestion', env);
  }
}
