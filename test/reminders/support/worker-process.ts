import { AppProcess } from '../../support/app-process.js';

/** The real worker app as a child process a test can SIGKILL (see AppProcess). */
export class WorkerProcess extends AppProcess {
  constructor(env: Record<string, string>) {
    super('worker', env);
  }
}
