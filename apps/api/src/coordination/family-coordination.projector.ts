import {
  CASE_EVENT_TYPES,
  CASEWORKER_EVENT_TYPES,
  coordinationFlags,
  FAMILY_EVENT_TYPES,
  type CoordinationEvent,
  type CoordinationRules,
  type WorkingDayDeadline,
} from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import { upsertRows, type Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { loadFamiliesFacts } from './family-facts.sql';

export const FAMILY_COORDINATION_PROJECTOR = 'family-coordination';

const FLAG_COLUMNS = {
  family_id: 'uuid',
  code: 'text',
  subject_id: 'uuid',
  since: 'timestamptz',
  event_ids: 'text[]',
  department_ids: 'text[]',
  details: 'jsonb',
} as const;

/**
 * Families, their members' open cases, caseworkers and primary contacts, and the coordination
 * flags. Base tables follow the events; after each event the flags of every family it touches
 * are computed again by the domain's `coordinationFlags`, the same function the as-of history uses.
 * The rules are read when flags are computed: after changing them, rebuild this projection.
 */
export class FamilyCoordinationProjector implements Projector {
  readonly name = FAMILY_COORDINATION_PROJECTOR;
  readonly tables = [
    'coordination_flags',
    'coordination_families',
    'coordination_members',
    'coordination_cases',
    'coordination_caseworkers',
    'coordination_consents',
  ];

  constructor(
    private readonly rules: CoordinationRules,
    private readonly deadline: WorkingDayDeadline,
  ) {}

  handles(event: RecordedEvent): boolean {
    return (
      FAMILY_EVENT_TYPES.has(event.type) ||
      CASE_EVENT_TYPES.has(event.type) ||
      CASEWORKER_EVENT_TYPES.has(event.type)
    );
  }

  /** Families touched in each open transaction; their flags are computed once, in afterBatch. */
  private readonly touched = new WeakMap<EntityManager, Set<string>>();

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const families = await this.applyToTables(
      recorded.id,
      recorded as unknown as CoordinationEvent,
      manager,
    );
    const touched = this.touched.get(manager) ?? new Set<string>();
    for (const familyId of families) touched.add(familyId);
    this.touched.set(manager, touched);
  }

  /** A family touched by several events of a batch is recomputed once, at the batch's end. */
  async afterBatch(manager: EntityManager): Promise<void> {
    const families = [...(this.touched.get(manager) ?? [])].sort();
    this.touched.delete(manager);
    await this.recomputeFlags(families, manager);
  }

  /** Updates the base tables; returns the families whose flags may have changed. */
  private async applyToTables(
    eventId: string,
    event: CoordinationEvent,
    m: EntityManager,
  ): Promise<string[]> {
    switch (event.type) {
      case 'FamilyRegistered':
        await m.query(
          'INSERT INTO coordination_families (family_id, registered_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [event.data.familyId, event.data.registeredAt],
        );
        return [event.data.familyId];
      case 'FamilyMemberAdded':
        await m.query(
          `INSERT INTO coordination_members (family_id, person_id, role, added_at, added_event_id)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (family_id, person_id) DO UPDATE
             SET role = EXCLUDED.role, added_at = EXCLUDED.added_at, added_event_id = EXCLUDED.added_event_id`,
          [event.data.familyId, event.data.personId, event.data.role, event.data.addedAt, eventId],
        );
        return [event.data.familyId];
      case 'FamilyMemberRemoved':
        await m.query('DELETE FROM coordination_members WHERE family_id = $1 AND person_id = $2', [
          event.data.familyId,
          event.data.personId,
        ]);
        return [event.data.familyId];
      case 'PrimaryContactAssigned':
        await this.setPrimaryContact(
          m,
          event.data.familyId,
          event.data.caseworkerId,
          event.data.assignedAt,
          eventId,
          null,
        );
        return [event.data.familyId];
      case 'PrimaryContactHandedOver':
        await this.setPrimaryContact(
          m,
          event.data.familyId,
          event.data.toCaseworkerId,
          event.data.handedOverAt,
          eventId,
          eventId,
        );
        return [event.data.familyId];
      case 'PrimaryContactReleased':
        await m.query(
          `UPDATE coordination_families SET primary_contact_id = NULL, primary_contact_at = NULL,
                  primary_contact_event_id = NULL, untold_handover_at = NULL, untold_handover_event_id = NULL,
                  released_at = $2, released_event_id = $3
            WHERE family_id = $1`,
          [event.data.familyId, event.data.releasedAt, eventId],
        );
        return [event.data.familyId];
      case 'FamilyToldOfPrimaryContact':
        await m.query(
          'UPDATE coordination_families SET untold_handover_at = NULL, untold_handover_event_id = NULL WHERE family_id = $1',
          [event.data.familyId],
        );
        return [event.data.familyId];
      case 'FamilyConsentGiven':
        for (const departmentId of event.data.departmentIds) {
          await m.query(
            `INSERT INTO coordination_consents (family_id, department_id, basis, given_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (family_id, department_id) DO UPDATE
               SET basis = EXCLUDED.basis, given_at = EXCLUDED.given_at`,
            [event.data.familyId, departmentId, event.data.basis, event.data.givenAt],
          );
        }
        return []; // no flag depends on consent
      case 'FamilyConsentWithdrawn':
        await m.query(
          'DELETE FROM coordination_consents WHERE family_id = $1 AND department_id = ANY($2::text[])',
          [event.data.familyId, event.data.departmentIds],
        );
        return [];
      case 'CaseOpened':
        await m.query(
          // The birth date is copied from the registry so the youth unit's lists can find the
          // open cases of an age group through one index (events carry no birth dates).
          `INSERT INTO coordination_cases (case_id, person_id, department_id, case_type, status, opened_at, opened_event_id, birth_date)
           VALUES ($1, $2, $3, $4, 'open', $5, $6, (SELECT birth_date FROM persons WHERE person_id = $2))
           ON CONFLICT DO NOTHING`,
          [
            event.data.caseId,
            event.data.personId,
            event.data.departmentId,
            event.data.caseType,
            event.data.openedAt,
            eventId,
          ],
        );
        return this.familiesOfCase(m, event.data.caseId);
      case 'CaseworkerAssigned':
        await m.query(
          'UPDATE coordination_cases SET caseworker_id = $2, caseworker_at = $3, caseworker_event_id = $4 WHERE case_id = $1',
          [event.data.caseId, event.data.caseworkerId, event.data.assignedAt, eventId],
        );
        return this.familiesOfCase(m, event.data.caseId);
      case 'CaseworkerChanged':
        await m.query(
          `UPDATE coordination_cases SET caseworker_id = $2, caseworker_at = $3, caseworker_event_id = $4,
                  untold_change_at = $3, untold_change_event_id = $4
            WHERE case_id = $1`,
          [event.data.caseId, event.data.toCaseworkerId, event.data.changedAt, eventId],
        );
        return this.familiesOfCase(m, event.data.caseId);
      case 'CitizenToldOfCaseworkerChange':
        await m.query(
          'UPDATE coordination_cases SET untold_change_at = NULL, untold_change_event_id = NULL WHERE case_id = $1',
          [event.data.caseId],
        );
        return this.familiesOfCase(m, event.data.caseId);
      case 'CaseClosed':
        await m.query(
          "UPDATE coordination_cases SET status = 'closed', closed_at = $2 WHERE case_id = $1",
          [event.data.caseId, event.data.closedAt],
        );
        return this.familiesOfCase(m, event.data.caseId);
      case 'CaseworkerRegistered':
        await m.query(
          `INSERT INTO coordination_caseworkers (caseworker_id, department_id, active) VALUES ($1, $2, true)
           ON CONFLICT DO NOTHING`,
          [event.data.caseworkerId, event.data.departmentId],
        );
        return [];
      case 'CaseworkerDeactivated':
        await m.query(
          'UPDATE coordination_caseworkers SET active = false, inactive_at = $2, inactive_event_id = $3 WHERE caseworker_id = $1',
          [event.data.caseworkerId, event.data.deactivatedAt, eventId],
        );
        return this.familiesHeldBy(m, event.data.caseworkerId);
      case 'CaseworkerReactivated':
        await m.query(
          'UPDATE coordination_caseworkers SET active = true, inactive_at = NULL, inactive_event_id = NULL WHERE caseworker_id = $1',
          [event.data.caseworkerId],
        );
        return this.familiesHeldBy(m, event.data.caseworkerId);
    }
  }

  private async setPrimaryContact(
    m: EntityManager,
    familyId: string,
    caseworkerId: string,
    at: string,
    eventId: string,
    untoldEventId: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE coordination_families SET primary_contact_id = $2, primary_contact_at = $3, primary_contact_event_id = $4,
              untold_handover_at = CASE WHEN $5::uuid IS NULL THEN NULL ELSE $3::timestamptz END,
              untold_handover_event_id = $5, released_at = NULL, released_event_id = NULL
        WHERE family_id = $1`,
      [familyId, caseworkerId, at, eventId, untoldEventId],
    );
  }

  private async familiesOfCase(m: EntityManager, caseId: string): Promise<string[]> {
    const rows: { family_id: string }[] = await m.query(
      `SELECT m.family_id FROM coordination_cases c JOIN coordination_members m ON m.person_id = c.person_id
        WHERE c.case_id = $1`,
      [caseId],
    );
    return rows.map((row) => row.family_id);
  }

  private async familiesHeldBy(m: EntityManager, caseworkerId: string): Promise<string[]> {
    const rows: { family_id: string }[] = await m.query(
      'SELECT family_id FROM coordination_families WHERE primary_contact_id = $1',
      [caseworkerId],
    );
    return rows.map((row) => row.family_id);
  }

  /** The touched families' flags, from their facts loaded at once: one delete, one insert. */
  private async recomputeFlags(familyIds: readonly string[], m: EntityManager): Promise<void> {
    if (familyIds.length === 0) return;
    await m.query('DELETE FROM coordination_flags WHERE family_id = ANY($1::uuid[])', [familyIds]);
    const facts = await loadFamiliesFacts(m, familyIds);
    const rows = familyIds.flatMap((familyId) => {
      const family = facts.get(familyId);
      if (!family) return [];
      return coordinationFlags(family, this.rules, this.deadline).map((flag) => ({
        family_id: familyId,
        code: flag.code,
        subject_id: flag.subjectId,
        since: flag.since,
        event_ids: flag.eventIds,
        department_ids: flag.departmentIds,
        details: flag.details,
      }));
    });
    await upsertRows(m, 'coordination_flags', FLAG_COLUMNS, rows, {
      key: ['family_id', 'code', 'subject_id'],
    });
  }
}
