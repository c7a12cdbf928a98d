import pg from 'pg';
import { databaseUrlFor } from './test-env.js';

/**
 * A database of one test file's own on the test server, for what the shared test database cannot show: a migration
 * run on data written by the migrations before it, an index or page layout other suites' rows would disturb. Named
 * after the file's purpose and its process, so parallel runs do not meet; one left behind by a killed run is dropped
 * before it is made again. Migrating it is the test's business (which migrations is what such tests are about).
 */
export class ScratchDatabase {
  readonly name: string;
  readonly url: string;
  private readonly admin = new pg.Client({ connectionString: databaseUrlFor('postgres') });

  constructor(purpose: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(purpose)) throw new Error(`a scratch database's purpose is a plain lower-case name, not "${purpose}"`);
    this.name = `${purpose}_${String(process.pid)}`;
    this.url = databaseUrlFor(this.name);
  }

  /** Empty, on the test server; call once (beforeAll). */
  async create(): Promise<void> {
    await this.admin.connect();
    await this.dropIfExists();
    await this.admin.query(`CREATE DATABASE "${this.name}"`);
  }

  /** Dropped even with connections still open to it (a pool still closing); call once, after create (afterAll). */
  async drop(): Promise<void> {
    await this.dropIfExists();
    await this.admin.end();
  }

  private async dropIfExists(): Promise<void> {
    await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
  }
}
