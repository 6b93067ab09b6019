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
  effectiveTimeOf,
  isCoordinationEvent,
  type CoordinationEvent,
} from '@tovholder/domain';
import {
  comparePositions,
  parsePosition,
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
} from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { FAMILY_COORDINATION_PROJECTOR } from './family-coordination.projector';
import { occurredAt } from '../shared/occurred-at';
import { COORDINATION_RULES, WORKING_DAY_DEADLINE } from './coordination.rules';
import { checkedEvents, type StoredEvent } from '../shared/aggregate-stream';

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
    private readonly watcher: CheckpointWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `asOf`: how it was at that moment as we know it now (the events' effective times).
   * `knownAt`: only what had been recorded by then (what Tovholder showed at that moment); with
   * it alone, the moment is that one too.
   */
  async asOf(
    familyId: string,
    {
      asOf = undefined,
      knownAt = undefined,
      waitForPosition: position = undefined,
    }: { asOf?: Date; knownAt?: Date; waitForPosition?: string },
  ): Promise<FamilyHistoryView | null> {
    const moment = asOf ?? knownAt;
    if (moment === undefined) return null;
    const until = moment.toISOString();
    const recordedBy = knownAt?.toISOString();
    const visible = (recorded: RecordedEvent[]): StoredEvent<CoordinationEvent>[] =>
      checkedEvents(recorded, { isEvent: isCoordinationEvent }).filter(
        (e) =>
          effectiveTimeOf(e) <= until &&
          (recordedBy === undefined || occurredAt(e.recorded) <= recordedBy),
      );
    const familyEvents = visible(await this.store.readStream(familyStream(familyId)));
    if (familyEvents.length === 0) return null;

    const personIds = new Set<string>();
    const caseworkerIds = new Set<string>();
    for (const { data } of familyEvents) {
      if ('personId' in data) personIds.add(data.personId);
      if ('caseworkerId' in data) caseworkerIds.add(data.caseworkerId);
      if ('toCaseworkerId' in data) caseworkerIds.add(data.toCaseworkerId);
    }
    // The read model names the members' cases: one opened a moment ago is there once the
    // projector has seen the log as it stands now, and the caller's own write if it names it.
    // One wait, for whichever is later: the caller's write may not be visible in the head yet.
    const head = await this.store.headPosition();
    const written = position === undefined ? null : parsePosition(position);
    const target = comparePositions(written, head) > 0 ? written : head;
    if (target !== null) {
      await this.watcher.waitFor(FAMILY_COORDINATION_PROJECTOR, target, this.config.readWaitMaxMs);
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
    // Folded in the order things happened, so a step recorded late lands where it belongs.
    const events = [...familyEvents, ...visible(others)].sort(
      (a, b) =>
        effectiveTimeOf(a).localeCompare(effectiveTimeOf(b)) ||
        comparePositions(a.recorded.position, b.recorded.position),
    );
    const { members, facts } = foldFamilyFacts(familyId, events);
    const flags = activeFlags(coordinationFlags(facts, this.rules, this.deadline), moment);
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
