/** Paging that trusts no single point and needs no OnCall: dial legs, several phones, delivery figures, alerts, teams. */
import type { Migration } from './migration';

export const pagingMigrations: Migration[] = [
  {
    name: '013_attempt_legs',
    async up(db) {
      // One attempt may dial several times (another trunk after a carrier failure, the next of a
      // person's phones): each dial is a leg, and the trunk that carried the call is kept apart
      // so delivery can be counted per trunk without reading the legs.
      await db.schema.alterTable('attempts', (t) => {
        t.string('trunk', 64).nullable();
        t.text('legs').nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable('attempts', (t) => {
        t.dropColumn('trunk');
        t.dropColumn('legs');
      });
    },
  },
  {
    name: '015_user_phones',
    async up(db) {
      // A person may have several phones, tried in order within one round of a page. The first
      // stays mirrored in users.phone / phone_verified, so that the readers that want one number
      // (SMS, the OnCall cloud sync, the status page) keep reading it from there.
      await db.schema.createTable('user_phones', (t) => {
        t.increments('id').primary();
        t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.integer('position').notNullable(); // 0 = dialled first
        t.string('number', 32).notNullable();
        t.string('label', 32).nullable(); // mobile, desk, home: what the person calls it
        t.boolean('verified').notNullable().defaultTo(false);
        t.unique(['user_id', 'position'], { indexName: 'user_phones_order' });
        t.index(['number'], 'user_phones_number'); // the hotline knows a caller by any of their numbers
      });
      // Every existing number becomes its person's one phone, verified as it was.
      await db.raw(
        'insert into user_phones (user_id, position, number, label, verified) select id, 0, phone, null, phone_verified from users where phone is not null',
      );
    },
    async down(db) {
      await db.schema.dropTableIfExists('user_phones');
    },
  },
  {
    name: '017_delivery',
    async up(db) {
      // Delivery figures: when and how a page was acknowledged (digit, link, oncall), when its
      // first ring was put into /metrics, and when it entered the SLO counters (once, 15 minutes
      // after it arrived). The figures read pages by arrival time (indexed since 001); the
      // counters look for pages not yet counted.
      await db.schema.alterTable('notifications', (t) => {
        t.bigInteger('acked_at').nullable();
        t.string('acked_via', 16).nullable();
        t.bigInteger('first_ring_at').nullable();
        t.bigInteger('counted_at').nullable();
        t.index(['counted_at', 'received_at'], 'notifications_uncounted');
      });
      // Pages from before are history: counting them now would pour months of pages without a
      // recorded acknowledgement into one scrape and fire the SLO alert.
      await db('notifications').update({ counted_at: db.ref('received_at'), first_ring_at: db.ref('received_at') });
      // What was already known: a digit on the call, or OnCall settling the incident meanwhile.
      await db('notifications')
        .where({ state: 'delivered', outcome: 'digit' })
        .update({ acked_at: db.ref('finished_at'), acked_via: 'digit' });
      await db('notifications')
        .where({ state: 'cancelled', outcome: 'settled-elsewhere' })
        .update({ acked_at: db.ref('finished_at'), acked_via: 'oncall' });
    },
    async down(db) {
      await db.schema.alterTable('notifications', (t) => {
        t.dropIndex(['counted_at', 'received_at'], 'notifications_uncounted');
        t.dropColumn('acked_at');
        t.dropColumn('acked_via');
        t.dropColumn('first_ring_at');
        t.dropColumn('counted_at');
      });
    },
  },
  {
    name: '019_alerts',
    async up(db) {
      // Integration keys are stored as SHA-256 hashes: the key is shown once, at creation.
      await db.schema.createTable('alert_integrations', (t) => {
        t.string('id', 36).primary();
        t.string('name', 100).notNullable();
        t.string('key_hash', 64).notNullable().unique();
        t.string('key_hint', 8).notNullable();
        t.string('default_team', 200).nullable();
        t.text('rules').notNullable(); // JSON array of routing rules
        t.bigInteger('created_at').notNullable();
        t.bigInteger('revoked_at').nullable();
      });
      await db.schema.createTable('alerts', (t) => {
        t.string('id', 36).primary();
        t.integer('tiny_id').notNullable();
        t.string('alias', 512).notNullable();
        // Equal to alias while the alert is open, null once closed: the unique index keeps one open alert per alias.
        t.string('open_alias', 512).nullable().unique();
        t.string('message', 130).notNullable();
        t.text('description').notNullable();
        t.string('priority', 2).notNullable();
        t.string('status', 8).notNullable(); // open | closed
        t.boolean('acknowledged').notNullable().defaultTo(false);
        t.string('owner', 254).notNullable().defaultTo('');
        t.bigInteger('snoozed_until').nullable();
        t.integer('count').notNullable().defaultTo(1);
        t.text('tags').notNullable();
        t.text('details').notNullable();
        t.text('actions').notNullable();
        t.text('responders').notNullable();
        t.text('visible_to').notNullable();
        t.string('entity', 512).notNullable().defaultTo('');
        t.string('source', 100).notNullable().defaultTo('');
        t.string('requested_by', 100).notNullable().defaultTo('');
        t.string('integration_id', 36).nullable();
        t.string('team', 200).nullable();
        t.text('plan').notNullable(); // JSON: the escalation steps, fixed at creation
        t.integer('next_step').notNullable().defaultTo(0);
        t.bigInteger('next_step_at').nullable(); // null: nothing more to page (done, acknowledged, closed)
        t.string('acked_by', 254).nullable();
        t.string('closed_by', 254).nullable();
        t.bigInteger('acked_at').nullable();
        t.bigInteger('closed_at').nullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
        t.bigInteger('last_occurred_at').notNullable();
        t.index(['status', 'created_at'], 'alerts_status');
        t.index(['next_step_at'], 'alerts_due');
        t.index(['tiny_id'], 'alerts_tiny');
        t.index(['alias'], 'alerts_alias');
      });
      await db.schema.createTable('alert_events', (t) => {
        t.increments('id').primary();
        t.string('alert_id', 36).notNullable().references('id').inTable('alerts').onDelete('CASCADE');
        t.bigInteger('at').notNullable();
        t.string('kind', 32).notNullable();
        t.string('actor', 254).notNullable();
        t.text('text').notNullable();
        t.integer('notification_id').nullable();
        t.index(['alert_id', 'id'], 'alert_events_alert');
      });
      await db.schema.createTable('alert_requests', (t) => {
        t.string('id', 36).primary();
        t.string('action', 32).notNullable();
        t.boolean('success').notNullable();
        t.string('status', 200).notNullable();
        t.string('alert_id', 36).notNullable().defaultTo('');
        t.string('alias', 512).notNullable().defaultTo('');
        t.string('integration_id', 36).notNullable();
        t.bigInteger('processed_at').notNullable();
        t.index(['processed_at'], 'alert_requests_age');
      });
    },
    async down(db) {
      await db.schema.dropTable('alert_requests');
      await db.schema.dropTable('alert_events');
      await db.schema.dropTable('alerts');
      await db.schema.dropTable('alert_integrations');
    },
  },
  {
    name: '020_teams',
    async up(db) {
      // Names are matched case-insensitively through *_key columns, as emails are; ids are public
      // strings so the Opsgenie-shaped APIs can hand them out.
      await db.schema.createTable('teams', (t) => {
        t.string('id', 20).primary();
        t.string('name', 100).notNullable();
        t.string('name_key', 100).notNullable().unique();
        t.text('description').notNullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
      });
      await db.schema.createTable('team_members', (t) => {
        t.string('team_id', 20).notNullable().references('id').inTable('teams').onDelete('CASCADE');
        t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.string('role', 10).notNullable(); // admin | user
        t.primary(['team_id', 'user_id']);
        t.index(['user_id'], 'team_members_user');
      });
      // A schedule holds the time zone its rotations hand off in; the on-call of a schedule is
      // everyone on call in any of its rotations.
      await db.schema.createTable('schedules', (t) => {
        t.string('id', 20).primary();
        t.string('team_id', 20).nullable().references('id').inTable('teams').onDelete('SET NULL');
        t.string('name', 100).notNullable();
        t.string('name_key', 100).notNullable().unique();
        t.string('time_zone', 64).notNullable();
        t.boolean('enabled').notNullable().defaultTo(true);
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
      });
      await db.schema.createTable('rotations', (t) => {
        t.string('id', 20).primary();
        t.string('schedule_id', 20).notNullable().references('id').inTable('schedules').onDelete('CASCADE');
        t.string('name', 100).notNullable();
        t.integer('position').notNullable();
        t.bigInteger('starts_at').notNullable();
        t.bigInteger('ends_at').nullable();
        t.integer('length').notNullable();
        t.string('unit', 8).notNullable(); // hours | days | weeks
        t.text('restrictions').notNullable(); // JSON list
        t.unique(['schedule_id', 'name']);
      });
      await db.schema.createTable('rotation_participants', (t) => {
        t.string('rotation_id', 20).notNullable().references('id').inTable('rotations').onDelete('CASCADE');
        t.integer('position').notNullable();
        t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.primary(['rotation_id', 'position']);
      });
      await db.schema.createTable('schedule_overrides', (t) => {
        t.string('id', 20).primary();
        t.string('schedule_id', 20).notNullable().references('id').inTable('schedules').onDelete('CASCADE');
        t.string('rotation_id', 20).nullable().references('id').inTable('rotations').onDelete('CASCADE');
        t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.bigInteger('starts_at').notNullable();
        t.bigInteger('ends_at').notNullable();
        t.bigInteger('created_at').notNullable();
        t.index(['schedule_id', 'ends_at'], 'schedule_overrides_schedule_end');
      });
      // Steps as JSON (after N minutes: a schedule's on-call, a person or a whole team), checked by
      // the service; a target that disappears later is reported by the resolver, not silently skipped.
      await db.schema.createTable('escalation_policies', (t) => {
        t.string('id', 20).primary();
        t.string('team_id', 20).nullable().references('id').inTable('teams').onDelete('SET NULL');
        t.string('name', 100).notNullable();
        t.string('name_key', 100).notNullable().unique();
        t.text('steps').notNullable();
        t.integer('repeat').notNullable().defaultTo(0);
        t.integer('repeat_after_minutes').notNullable().defaultTo(0);
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
        t.index(['team_id'], 'escalation_policies_team');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('escalation_policies');
      await db.schema.dropTableIfExists('schedule_overrides');
      await db.schema.dropTableIfExists('rotation_participants');
      await db.schema.dropTableIfExists('rotations');
      await db.schema.dropTableIfExists('schedules');
      await db.schema.dropTableIfExists('team_members');
      await db.schema.dropTableIfExists('teams');
    },
  },
];
