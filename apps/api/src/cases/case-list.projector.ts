import { CASE_EVENT_TYPES, type CaseEvent, isCaseEvent } from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import {
  applyEvents,
  sliceBy,
  upsertArrays,
  type ArrayWrite,
  type Projector,
} from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvents } from '../shared/aggregate-stream';

export const CASE_LIST_PROJECTOR = 'case-list';

interface CaseListRow {
  case_id: string;
  person_id: string;
  department_id: string;
  case_type: string;
  status: 'open' | 'closed';
  opened_at: string | Date;
  closed_at: string | Date | null;
  close_reason: string | null;
}

const COLUMNS = {
  case_id: 'uuid',
  person_id: 'uuid',
  department_id: 'text',
  case_type: 'text',
  status: 'text',
  opened_at: 'timestamptz',
  closed_at: 'timestamptz',
  close_reason: 'text',
} as const;

/** One row per case; a batch folds each case's events over its row and writes them at once. */
export class CaseListProjector implements Projector {
  readonly name = CASE_LIST_PROJECTOR;
  readonly tables = ['case_list'];
  readonly queryOnlyIndexes = ['case_list_department_status'];

  handles(event: ProjectionEvent): boolean {
    return CASE_EVENT_TYPES.has(event.type);
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return applyEvents(this, [event], manager);
  }

  /** One write: the live runner sends it with the checkpoint's move as one statement. */
  async batchWrites(
    recorded: readonly ProjectionEvent[],
    manager: EntityManager,
  ): Promise<(ArrayWrite | null)[]> {
    const events = identifiedEvents(recorded, isCaseEvent);
    const byCase = sliceBy(events, (event) =>
      event.type === 'CaseOpened' || event.type === 'CaseClosed' ? event.data.caseId : null,
    );
    // Stored rows only for cases this batch closes without opening them.
    const needed = [...byCase]
      .filter(([, slice]) => slice[0]?.type !== 'CaseOpened')
      .map(([caseId]) => caseId);
    const stored =
      needed.length === 0
        ? []
        : await manager.query<CaseListRow[]>(
            'SELECT * FROM case_list WHERE case_id = ANY($1::uuid[])',
            [needed],
          );
    const rows = new Map(stored.map((row) => [row.case_id, row]));
    const changed: CaseListRow[] = [];
    for (const [caseId, slice] of byCase) {
      let row = rows.get(caseId) ?? null;
      for (const event of slice) row = fold(row, event);
      if (row) changed.push(row);
    }
    return [
      upsertArrays('case_list', COLUMNS, changed, {
        key: ['case_id'],
        update: Object.keys(COLUMNS).filter((c) => c !== 'case_id'),
      }),
    ];
  }
}

/** Opened (again: a replay) writes the whole row; closed changes a row that is there. */
function fold(row: CaseListRow | null, event: CaseEvent): CaseListRow | null {
  switch (event.type) {
    case 'CaseOpened':
      return {
        case_id: event.data.caseId,
        person_id: event.data.personId,
        department_id: event.data.departmentId,
        case_type: event.data.caseType,
        status: 'open',
        opened_at: event.data.openedAt,
        closed_at: null,
        close_reason: null,
      };
    case 'CaseClosed':
      return row
        ? {
            ...row,
            status: 'closed',
            closed_at: event.data.closedAt,
            close_reason: event.data.reason,
          }
        : null;
    case 'CaseworkerAssigned':
    case 'CaseworkerChanged':
    case 'CitizenToldOfCaseworkerChange':
      return row; // the case list does not show caseworkers; family-coordination does
  }
}
