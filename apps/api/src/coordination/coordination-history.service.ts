import { Inject, Injectable } from '@nestjs/common';
import {
  activeFlags,
  caseStream,
  caseworkerStream,
  coordinationFlags,
  familyStream,
  foldFamilyFacts,
  type CoordinationFlag,
  type CoordinationRules,
  type WorkingDayDeadline,
  isCoordinationEvent,
} from '@tovholder/domain';
import { comparePositions, EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { occurredAt } from '../shared/occurred-at';
import { COORDINATION_RULES, WORKING_DAY_DEADLINE } from './coordination.rules';
import { identifiedEvents } from '../shared/aggregate-stream';

export interface FamilyHistoryView {
  readonly familyId: string;
  readonly asOf: string;
  readonly members: { personId: string; role: string }[];
  readonly openCases: {
    caseId: string;
    personId: string;
    departmentId: string;
    /** Null where the caller may see that the case existed but not its content. */
    caseType: string | null;
    caseworkerId: string | null;
    detailsHidden?: true;
  }[];
  readonly primaryContact: { caseworkerId: string; since: string } | null;
  readonly flags: (CoordinationFlag & { familyId: string })[];
}

/**
 * The coordination state of a family as it was at a moment, computed from the events alone
 * (a complaint investigation asks exactly this). The read model only says which case streams
 * belonged to the family's members; what they contained up to the moment comes from the log.
 */
@Injectable()
export class CoordinationHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(COORDINATION_RULES) private readonly rules: CoordinationRules,
    @Inject(WORKING_DAY_DEADLINE) private readonly deadline: WorkingDayDeadline,
  ) {}

  async asOf(familyId: string, asOf: Date): Promise<FamilyHistoryView | null> {
    const until = asOf.toISOString();
    const familyEvents = (await this.store.readStream(familyStream(familyId))).filter(
      (e) => occurredAt(e) <= until,
    );
    if (familyEvents.length === 0) return null;

    const personIds = new Set<string>();
    const caseworkerIds = new Set<string>();
    for (const event of familyEvents) {
      const data = event.data as {
        personId?: string;
        caseworkerId?: string;
        toCaseworkerId?: string;
      };
      if (data.personId) personIds.add(data.personId);
      if (data.caseworkerId) caseworkerIds.add(data.caseworkerId);
      if (data.toCaseworkerId) caseworkerIds.add(data.toCaseworkerId);
    }
    const caseIds = personIds.size
      ? await this.dataSource.query<{ case_id: string }[]>(
          'SELECT case_id FROM coordination_cases WHERE person_id = ANY($1::uuid[])',
          [[...personIds]],
        )
      : [];
    const streams = [
      ...caseIds.map((row) => caseStream(row.case_id)),
      ...[...caseworkerIds].map((id) => caseworkerStream(id)),
    ];
    const others = (
      await Promise.all(streams.map((stream) => this.store.readStream(stream)))
    ).flat();
    const events = [...familyEvents, ...others.filter((e) => occurredAt(e) <= until)].sort((a, b) =>
      comparePositions(a.position, b.position),
    );
    const identified = identifiedEvents(events, isCoordinationEvent);
    const { members, facts } = foldFamilyFacts(familyId, identified);
    const flags = activeFlags(coordinationFlags(facts, this.rules, this.deadline), asOf);
    return {
      familyId,
      asOf: until,
      members: [...members].map(([personId, member]) => ({ personId, role: member.role })),
      openCases: facts.openCases.map((c) => ({
        caseId: c.caseId,
        personId: c.personId,
        departmentId: c.departmentId,
        caseType: c.caseType,
        caseworkerId: c.caseworkerId,
      })),
      primaryContact: facts.primaryContact
        ? {
            caseworkerId: facts.primaryContact.caseworkerId,
            since: facts.primaryContact.assigned.at,
          }
        : null,
      flags: flags.map((flag) => ({ ...flag, familyId })),
    };
  }
}
