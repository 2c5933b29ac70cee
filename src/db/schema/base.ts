/** The schema up to the second wave: people, pages and attempts, heartbeats, the hotline, leases, shifts, verification, own pages, the console. */
import type { Migration } from './migration';

export const baseMigrations: Migration[] = [
  {
    name: '001_core',
    async up(db) {
      await db.schema.createTable('users', (t) => {
        t.increments('id').primary();
        t.string('public_id', 20).notNullable().unique();
        t.string('email', 254).notNullable();
        t.string('email_key', 254).notNullable().unique(); // lower-cased: the join key with OnCall
        t.string('name', 200).notNullable();
        t.string('username', 150).notNullable();
        t.string('phone', 32).nullable();
        t.boolean('phone_verified').notNullable().defaultTo(false);
        t.string('lang', 5).notNullable().defaultTo('en');
        t.string('role', 10).notNullable().defaultTo('editor');
        t.text('channels').notNullable(); // JSON array, ordered
        t.string('pin_hash', 200).nullable();
        t.string('oncall_token', 200).nullable();
        t.string('timezone', 64).nullable();
        t.text('contacts').notNullable(); // JSON object: per-sender addresses (ntfy topic, telegram chat id, ...)
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
      });
      await db.schema.createTable('notifications', (t) => {
        t.increments('id').primary();
        t.string('kind', 16).notNullable(); // call | sms | push | webhook
        t.string('source', 32).notNullable(); // oncall-cloud | oncall-webhook | cli | heartbeat | ...
        t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
        t.string('email', 254).notNullable();
        t.text('message').notNullable();
        t.text('payload').nullable(); // JSON: the relayed push, the webhook body
        t.string('alert_group_id', 32).nullable();
        t.string('correlation', 16).nullable(); // exact | matched | none (null until decided)
        t.string('dedupe_key', 200).nullable().unique();
        t.bigInteger('received_at').notNullable();
        t.string('state', 16).notNullable(); // pending | active | delivered | failed | cancelled
        t.integer('attempts').notNullable().defaultTo(0);
        t.bigInteger('next_attempt_at').notNullable();
        t.string('lease_owner', 64).nullable();
        t.bigInteger('lease_expires_at').nullable();
        t.string('outcome', 32).nullable();
        t.text('reason').nullable();
        t.bigInteger('finished_at').nullable();
        t.bigInteger('updated_at').notNullable();
        t.index(['state', 'next_attempt_at'], 'notifications_due');
        t.index(['user_id', 'kind', 'received_at'], 'notifications_user_kind_time');
        t.index(['received_at'], 'notifications_received');
      });
      await db.schema.createTable('attempts', (t) => {
        t.increments('id').primary();
        t.integer('notification_id').notNullable().references('id').inTable('notifications').onDelete('CASCADE');
        t.string('channel', 32).notNullable(); // voice | sms:<sender> | push:<sender>
        t.string('instance', 64).nullable();
        t.string('call_id', 64).nullable(); // shared by the notifications bundled into one call
        t.bigInteger('started_at').notNullable();
        t.bigInteger('ringing_at').nullable();
        t.bigInteger('answered_at').nullable();
        t.bigInteger('ended_at').nullable();
        t.string('outcome', 32).nullable();
        t.string('cause', 64).nullable();
        t.string('digits', 32).nullable();
        t.string('action', 32).nullable();
        t.text('result').nullable();
        t.index(['notification_id'], 'attempts_notification');
      });
      await db.schema.createTable('heartbeats', (t) => {
        t.increments('id').primary();
        t.string('name', 200).notNullable().unique();
        t.string('kind', 16).notNullable(); // oncall | opsgenie | healthchecks | alertmanager | peer
        t.integer('period_s').notNullable();
        t.integer('grace_s').notNullable();
        t.boolean('enabled').notNullable().defaultTo(true);
        t.text('page').notNullable(); // JSON array of emails
        t.string('description', 500).nullable();
        t.string('state', 16).notNullable(); // new | up | late | down | paused
        t.bigInteger('last_ping_at').nullable();
        t.bigInteger('state_changed_at').notNullable();
        t.bigInteger('created_at').notNullable();
      });
      await db.schema.createTable('heartbeat_events', (t) => {
        t.increments('id').primary();
        t.integer('heartbeat_id').notNullable().references('id').inTable('heartbeats').onDelete('CASCADE');
        t.bigInteger('at').notNullable();
        t.string('event', 16).notNullable(); // ping | fail | state
        t.string('detail', 500).nullable();
        t.index(['heartbeat_id', 'at'], 'heartbeat_events_hb_at');
      });
      await db.schema.createTable('cloud_integrations', (t) => {
        t.increments('id').primary();
        t.string('public_id', 50).notNullable().unique();
        t.string('name', 500).notNullable().unique();
        t.string('type', 50).notNullable();
        t.string('team_id', 50).nullable();
        t.string('token', 64).notNullable().unique(); // secret part of the integration and heartbeat links
        t.integer('heartbeat_id').nullable().references('id').inTable('heartbeats').onDelete('SET NULL');
        t.bigInteger('created_at').notNullable();
      });
    },
    async down(db) {
      for (const t of ['cloud_integrations', 'heartbeat_events', 'heartbeats', 'attempts', 'notifications', 'users'])
        await db.schema.dropTableIfExists(t);
    },
  },
  {
    // Heartbeat watcher: the persisted deadline (restart-safe timers) and Opsgenie's extra fields.
    name: '002_heartbeats',
    async up(db) {
      await db.schema.alterTable('heartbeats', (t) => {
        t.bigInteger('due_at').nullable(); // next timed transition (up→late, late→down)
        t.text('options').nullable(); // JSON: interval, intervalUnit, alertMessage, alertTags, alertPriority, ownerTeam
      });
    },
    async down(db) {
      await db.schema.alterTable('heartbeats', (t) => {
        t.dropColumn('due_at');
        t.dropColumn('options');
      });
    },
  },
  {
    name: '003_kv',
    async up(db) {
      // Small service-wide values that must survive restarts and be shared by instances (e.g. the link secret).
      await db.schema.createTable('kv', (t) => {
        t.string('key', 100).primary();
        t.text('value').notNullable();
        t.bigInteger('updated_at').notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('kv');
    },
  },
  {
    // Hotline voicemail: what a caller said when nobody on call answered, served at an unguessable URL.
    name: '004_hotline_messages',
    async up(db) {
      await db.schema.createTable('hotline_messages', (t) => {
        t.increments('id').primary();
        t.string('token', 64).notNullable().unique(); // the secret part of the recording's URL
        t.string('caller', 32).nullable(); // full number: whoever listens may need to call back; logs mask it
        t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
        t.bigInteger('recorded_at').notNullable();
        t.integer('duration_ms').nullable();
        t.string('content_type', 50).notNullable();
        t.binary('audio').notNullable(); // WAV bytes: a message is small and must survive the Asterisk host
        t.string('incident_id', 32).nullable(); // the alert group the caller was hearing about
        t.string('alert_group_id', 32).nullable(); // the group OnCall made for the message (unknown through formatted_webhook)
        t.string('alert_uid', 64).notNullable();
        t.index(['recorded_at'], 'hotline_messages_recorded');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('hotline_messages');
    },
  },
  {
    // Cluster leases: which instance runs a once-per-cluster job (heartbeat timers, shift notices).
    // `epoch` grows at every change of holder, so a log line or a write can name the term it belongs to.
    name: '005_cluster_leases',
    async up(db) {
      await db.schema.createTable('leases', (t) => {
        t.string('name', 100).primary();
        t.string('holder', 64).notNullable();
        t.bigInteger('expires_at').notNullable();
        t.integer('epoch').notNullable().defaultTo(1);
        t.bigInteger('acquired_at').notNullable();
        t.bigInteger('updated_at').notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('leases');
    },
  },
  {
    name: '006_shift_notices',
    async up(db) {
      // Shift notices already sent: the unique key is what keeps a restart from sending one twice.
      await db.schema.createTable('shift_notices', (t) => {
        t.increments('id').primary();
        t.string('schedule_id', 64).notNullable();
        t.string('user_pk', 64).notNullable();
        t.string('kind', 16).notNullable(); // on | off | reminder
        t.bigInteger('shift_start').notNullable();
        t.string('email', 254).nullable();
        t.bigInteger('sent_at').notNullable();
        t.unique(['schedule_id', 'user_pk', 'kind', 'shift_start'], { indexName: 'shift_notices_key' });
        t.index(['sent_at'], 'shift_notices_sent_at');
      });
      // Who was on call at the last successful look, per schedule (the "previous" side of the diff).
      await db.schema.createTable('shift_oncall', (t) => {
        t.string('schedule_id', 64).notNullable();
        t.string('user_pk', 64).notNullable();
        t.bigInteger('since').notNullable();
        t.primary(['schedule_id', 'user_pk']);
      });
      // Schedules looked at least once: the first look is a baseline, not a wave of "you are on call".
      await db.schema.createTable('shift_schedules', (t) => {
        t.string('schedule_id', 64).primary();
        t.string('name', 200).notNullable();
        t.bigInteger('checked_at').notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('shift_schedules');
      await db.schema.dropTableIfExists('shift_oncall');
      await db.schema.dropTableIfExists('shift_notices');
    },
  },
  {
    name: '007_phone_verification',
    async up(db) {
      // One live phone verification per person: only the code's HMAC is kept, never the code.
      await db.schema.createTable('phone_verifications', (t) => {
        t.increments('id').primary();
        t.integer('user_id').notNullable().unique().references('id').inTable('users').onDelete('CASCADE');
        t.string('link_id', 40).notNullable().unique(); // random; names this code in its link, replaced by every new code
        t.string('phone', 32).notNullable(); // the number the code went to: a changed number voids it
        t.string('method', 8).notNullable(); // sms | call
        t.string('code_hash', 64).nullable(); // HMAC-SHA256 hex; null once used up
        t.string('state', 16).notNullable(); // pending | confirmed | locked | failed
        t.integer('attempts').notNullable().defaultTo(0);
        t.boolean('was_verified').notNullable().defaultTo(false); // restored when the code never reached the person
        t.bigInteger('sent_at').notNullable(); // one send per minute counts from here
        t.bigInteger('expires_at').notNullable();
        t.bigInteger('confirmed_at').nullable();
        t.bigInteger('updated_at').notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('phone_verifications');
    },
  },
  {
    name: '008_own_pages',
    async up(db) {
      // Pages dozvon created through OnCall's direct paging, waiting for the make_call that follows.
      // In the database because that make_call may reach another instance, or this one after a restart.
      await db.schema.createTable('own_pages', (t) => {
        t.increments('id').primary();
        t.string('email_lower', 254).notNullable();
        t.string('alert_group_id', 32).notNullable();
        t.bigInteger('created_at').notNullable();
        t.index(['email_lower', 'created_at'], 'own_pages_email_time');
        // Paging one person twice for one group refreshes the row instead of queueing a second one.
        t.unique(['email_lower', 'alert_group_id'], { indexName: 'own_pages_email_group' });
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('own_pages');
    },
  },
  {
    name: '009_attempt_speech',
    async up(db) {
      // How the call's speech reached the phone: null when as rendered, else why prompts stood in
      // (the rendered audio could not be played). A silent summary must show in the attempt.
      await db.schema.alterTable('attempts', (t) => {
        t.string('speech', 300).nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable('attempts', (t) => {
        t.dropColumn('speech');
      });
    },
  },
  {
    name: '010_auth_guards',
    async up(db) {
      // Status-page sessions ended by logout before their expiry; rows go once the cookie would have expired anyway.
      await db.schema.createTable('revoked_sessions', (t) => {
        t.string('nonce', 32).primary();
        t.bigInteger('expires_at').notNullable();
        t.index(['expires_at'], 'revoked_sessions_expiry');
      });
      // Wrong hotline PINs, counted across calls and instances: per caller number (a hash of it) and in all.
      await db.schema.createTable('hotline_pin_failures', (t) => {
        t.increments('id').primary();
        t.string('caller_key', 64).notNullable(); // sha256 of the normalised caller number, or "anonymous"
        t.boolean('known_caller').notNullable(); // caller ID matched a directory user
        t.bigInteger('at').notNullable();
        t.index(['caller_key', 'at'], 'hotline_pin_failures_caller');
        t.index(['at'], 'hotline_pin_failures_at');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('hotline_pin_failures');
      await db.schema.dropTableIfExists('revoked_sessions');
    },
  },
  {
    name: '011_console',
    async up(db) {
      // Who changed what, from the console, the admin API or the CLI. Kept like notifications (retention).
      await db.schema.createTable('audit_log', (t) => {
        t.increments('id').primary();
        t.bigInteger('at').notNullable();
        t.string('actor', 200).notNullable(); // "console (session ab12cd, 10.0.0.5)", "admin API (10.0.0.5)", "cli"
        t.string('action', 64).notNullable(); // "user.create", "heartbeat.pause", ...
        t.string('target', 300).notNullable(); // an email, a heartbeat name, a page id
        t.text('detail').nullable(); // JSON: the fields changed, secrets masked
        t.index(['at'], 'audit_log_at');
        t.index(['target', 'at'], 'audit_log_target');
      });
      // What the phone was played, in order (JSON list of {media, lang}): the console's Listen button.
      await db.schema.alterTable('attempts', (t) => {
        t.text('played').nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable('attempts', (t) => {
        t.dropColumn('played');
      });
      await db.schema.dropTableIfExists('audit_log');
    },
  },
  {
    name: '012_notifications_alert_group',
    async up(db) {
      // The console's page search and each page's "tied to its alert group" list look pages up by
      // their alert group, newest first; without this they scan the notifications table.
      await db.schema.alterTable('notifications', (t) => {
        t.index(['alert_group_id', 'id'], 'notifications_alert_group');
      });
    },
    async down(db) {
      await db.schema.alterTable('notifications', (t) => {
        t.dropIndex(['alert_group_id', 'id'], 'notifications_alert_group');
      });
    },
  },
];
