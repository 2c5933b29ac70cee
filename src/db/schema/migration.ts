import type { Knex } from 'knex';

/** One step of the schema, applied once in list order and recorded in knex's migrations table. */
export interface Migration {
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}
