import { CASE_EVENT_TYPES, type CaseEvent } from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import type { Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { CaseListItemEntity } from './case-list.entity';

export const CASE_LIST_PROJECTOR = 'case-list';

export class CaseListProjector implements Projector {
  readonly name = CASE_LIST_PROJECTOR;
  readonly tables = ['case_list'];

  handles(event: RecordedEvent): boolean {
    return CASE_EVENT_TYPES.has(event.type);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as CaseEvent;
    switch (event.type) {
      case 'CaseOpened':
        await manager.upsert(
          CaseListItemEntity,
          {
            caseId: event.data.caseId,
            personId: event.data.personId,
            departmentId: event.data.departmentId,
            caseType: event.data.caseType,
            status: 'open',
            openedAt: new Date(event.data.openedAt),
            closedAt: null,
            closeReason: null,
          },
          ['caseId'],
        );
        return;
      case 'CaseClosed':
        await manager.update(
          CaseListItemEntity,
          { caseId: event.data.caseId },
          {
            status: 'closed',
            closedAt: new Date(event.data.closedAt),
            closeReason: event.data.reason,
          },
        );
        return;
      case 'CaseworkerAssigned':
      case 'CaseworkerChanged':
      case 'CitizenToldOfCaseworkerChange':
        return; // the case list does not show caseworkers; family-coordination does
    }
  }
}
