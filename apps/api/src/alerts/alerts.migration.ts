import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1764000002500 implements MigrationInterface {
  name = 'Alerts1764000002500';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The alert schedule (a projection): one row per duty record with its events, whether an
    // event changed it since the alert run last judged it, and the next moment time alone
    // changes its flags. The run reads only rows changed or due.
    await queryRunner.query(`
      CREATE TABLE alert_schedule (
        kind text NOT NULL,
        record_id uuid NOT NULL,
        events jsonb NOT NULL,
        version integer NOT NULL,
        changed boolean NOT NULL,
        next_due_at timestamptz,
        PRIMARY KEY (kind, record_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX alert_schedule_changed ON alert_schedule (kind, record_id) WHERE changed',
    );
    await queryRunner.query(
      'CREATE INDEX alert_schedule_due ON alert_schedule (next_due_at) WHERE next_due_at IS NOT NULL',
    );
    // What the alert run last saw holding per subject (kept by the run, not the projection, so
    // a rebuild of the schedule does not forget which alerts were raised).
    await queryRunner.query(`
      CREATE TABLE alert_subject_flags (
        kind text NOT NULL,
        record_id uuid NOT NULL,
        flags jsonb NOT NULL,
        PRIMARY KEY (kind, record_id)
      )`);
    // Alerts: facts with a deterministic id; seq orders the feed.
    await queryRunner.query(`
      CREATE TABLE alerts (
        alert_id uuid PRIMARY KEY,
        seq bigserial UNIQUE,
        transition text NOT NULL,
        code text NOT NULL,
        rule text NOT NULL,
        severity text NOT NULL,
        subject_kind text NOT NULL,
        subject_id uuid NOT NULL,
        part_id text,
        case_id uuid,
        person_id uuid,
        since timestamptz NOT NULL,
        due text NOT NULL,
        responsible_role text NOT NULL,
        responsible_department_id text NOT NULL,
        responsible_caseworker_id uuid,
        status text NOT NULL,
        escalate_after timestamptz,
        escalates_alert_id uuid,
        acknowledged_at timestamptz,
        acknowledged_by text,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      "CREATE INDEX alerts_open_caseworker ON alerts (responsible_caseworker_id, since DESC) WHERE status = 'open'",
    );
    await queryRunner.query(
      "CREATE INDEX alerts_open_department ON alerts (responsible_department_id, responsible_role, since DESC) WHERE status = 'open'",
    );
    await queryRunner.query(
      "CREATE INDEX alerts_escalation ON alerts (escalate_after) WHERE status = 'open' AND escalate_after IS NOT NULL",
    );
    await queryRunner.query(
      'CREATE INDEX alerts_subject ON alerts (subject_kind, subject_id, code)',
    );
    await queryRunner.query(`
      CREATE TABLE alert_subscriptions (
        subscription_id uuid PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        department_ids text[],
        codes text[],
        responsible_roles text[],
        active boolean NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    // The outbox: one row per alert and subscription, written with the alert; a separate loop
    // delivers it, so a slow receiver never holds up the run, commands or projections.
    await queryRunner.query(`
      CREATE TABLE alert_deliveries (
        delivery_id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (alert_id),
        subscription_id uuid NOT NULL REFERENCES alert_subscriptions (subscription_id),
        subject_key text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        leased_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        UNIQUE (alert_id, subscription_id)
      )`);
    await queryRunner.query(
      "CREATE INDEX alert_deliveries_pending ON alert_deliveries (next_attempt_at) WHERE status = 'pending'",
    );
    await queryRunner.query(
      "CREATE INDEX alert_deliveries_subject ON alert_deliveries (subscription_id, subject_key, delivery_id) WHERE status = 'pending'",
    );
    await queryRunner.query(
      "CREATE INDEX alert_deliveries_parked ON alert_deliveries (delivery_id) WHERE status = 'parked'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE alert_deliveries, alert_subscriptions, alerts, alert_subject_flags, alert_schedule',
    );
  }
}
