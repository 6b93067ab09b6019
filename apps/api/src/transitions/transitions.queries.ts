import { Inject, Injectable } from '@nestjs/common';
import {
  eighteenthBirthday,
  foldTransitionFacts,
  isPlacedYouth,
  sixteenthBirthday,
  transitionFlags,
  transitionStream,
  type IdentifiedTransitionEvent,
  type TransitionFacts,
  type TransitionFlag,
  type TransitionFlagCode,
  type TransitionTrack,
  isTransitionEvent,
} from '@tovholder/domain';
import {
  addCalendarDays,
  addCalendarMonths,
  type IsoDate,
} from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Page } from '../http/page';
import { waitForPosition } from '../projections/read-after-write';
import { CLOCK, type Clock } from '../shared/clock';
import { occurredAt } from '../shared/occurred-at';
import { FAMILY_COORDINATION_PROJECTOR } from '../coordination/family-coordination.projector';
import { TRANSITIONS_PROJECTOR } from './transition-streams.projector';
import { TRANSITION_POLICY, type TransitionPolicy } from './transition.rules';
import { identifiedEvents } from '../shared/aggregate-stream';

export interface YoungPersonView {
  readonly personId: string;
  readonly birthDate: IsoDate;
  readonly sixteenthBirthday: IsoDate;
  readonly eighteenthBirthday: IsoDate;
  /** Has an open case of a transition-relevant type. */
  readonly inScope: boolean;
  readonly placed: boolean;
  readonly departmentIds: string[];
  readonly track: TransitionTrack | null;
  readonly started: boolean;
  readonly closed: boolean;
  readonly flags: TransitionFlag[];
  /** The family's primary contact, so the youth unit knows whom to call. */
  readonly primaryContact: { caseworkerId: string; name: string | null } | null;
  /** The nearest due date: of the first flag, else of the next birthday that matters. */
  readonly nextDue: IsoDate;
}

export interface TransitionFilter {
  readonly turning?: 16 | 18;
  readonly fromMonth?: string;
  readonly toMonth?: string;
  readonly flag?: TransitionFlagCode;
  readonly departmentId?: string;
  readonly track?: TransitionTrack;
}

interface CandidateRow {
  person_id: string;
  birth_date: string;
  department_ids: string[] | null;
  placed: boolean | null;
  relevant_cases: string;
  events: IdentifiedTransitionEvent[] | null;
}

/** The facts stay inside: responses carry what the youth unit reads. */
function withoutFacts<T extends { facts: unknown }>(view: T): Omit<T, 'facts'> {
  const copy: Partial<T> = { ...view };
  delete copy.facts;
  return copy as Omit<T, 'facts'>;
}

const monthStart = (month: string): IsoDate => `${month}-01`;
const monthEnd = (month: string): IsoDate =>
  addCalendarDays(addCalendarMonths(monthStart(month), 1), -1);

/**
 * The youth unit's reads. Who is in scope comes from the open cases (family-coordination's
 * tables) and the birth dates from the person registry; flags are computed for today from the
 * transition's events with the domain's `transitionFlags`.
 */
@Injectable()
export class TransitionsQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRANSITION_POLICY) private readonly policy: TransitionPolicy,
  ) {}

  /** Scope and primary contacts come from family-coordination's tables: both must have it. */
  catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [TRANSITIONS_PROJECTOR, FAMILY_COORDINATION_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }

  private today(): IsoDate {
    return copenhagenDateOf(this.clock.now());
  }

  /** Birth dates whose 16th/18th birthday falls in the months asked, else everyone aged about 15–19. */
  private birthWindow(filter: TransitionFilter, today: IsoDate): [IsoDate, IsoDate] {
    const years = filter.turning ?? 16;
    if (filter.fromMonth || filter.toMonth) {
      const from = monthStart(filter.fromMonth ?? filter.toMonth ?? '');
      const to = monthEnd(filter.toMonth ?? filter.fromMonth ?? '');
      // A day's margin either side for 29 February; the exact birthday is checked after.
      return [
        addCalendarDays(addCalendarMonths(from, -years * 12), -1),
        addCalendarDays(addCalendarMonths(to, -years * 12), 1),
      ];
    }
    return [addCalendarMonths(today, -19 * 12), addCalendarMonths(today, -15 * 12)];
  }

  /**
   * Young people born in the window who are in scope (an open case of a relevant type, found by
   * the birth date copied onto open cases) or have a transition stream.
   */
  private async candidates(
    from: IsoDate,
    to: IsoDate,
    personId?: string,
    /** Only people with a relevant open case in one of these departments (none: everyone). */
    departmentIds?: readonly string[],
  ): Promise<CandidateRow[]> {
    return this.dataSource.query<CandidateRow[]>(
      `WITH scoped AS (
         SELECT c.person_id, array_agg(DISTINCT c.department_id) AS department_ids,
                bool_or(c.case_type = ANY($4)) AS placed, count(*) AS n
           FROM coordination_cases c
          WHERE c.status = 'open' AND c.birth_date BETWEEN $1 AND $2 AND c.case_type = ANY($3)
            AND ($5::uuid IS NULL OR c.person_id = $5)
          GROUP BY c.person_id
         HAVING $6::text[] IS NULL OR array_agg(DISTINCT c.department_id) && $6::text[]
       ), people AS (
         SELECT person_id FROM scoped
          UNION
         SELECT t.person_id FROM transition_streams t
          WHERE t.birth_date BETWEEN $1 AND $2 AND ($5::uuid IS NULL OR t.person_id = $5)
            AND $6::text[] IS NULL
       )
       SELECT p.person_id, p.birth_date::text AS birth_date, s.department_ids, s.placed,
              coalesce(s.n, 0) AS relevant_cases, t.events
         FROM people
         -- Lookups by key: a hash join would scan every person in the country (OFFSET 0 keeps
         -- the planner from turning these back into joins).
         CROSS JOIN LATERAL (SELECT person_id, birth_date FROM persons
                              WHERE person_id = people.person_id OFFSET 0) p
         LEFT JOIN scoped s ON s.person_id = people.person_id
         LEFT JOIN LATERAL (SELECT events FROM transition_streams
                             WHERE person_id = people.person_id OFFSET 0) t ON true`,
      [
        from,
        to,
        this.policy.relevantCaseTypes,
        this.policy.placementCaseTypes,
        personId ?? null,
        departmentIds ?? null,
      ],
    );
  }

  private view(
    row: CandidateRow,
    today: IsoDate,
  ): Omit<YoungPersonView, 'primaryContact'> & { facts: TransitionFacts } {
    const facts = foldTransitionFacts(row.person_id, row.events ?? [], row.placed ?? false);
    const flags = transitionFlags(facts, row.birth_date, today, this.policy.rules);
    const age = { leapDayBirthday: this.policy.rules.leapDayBirthday ?? 'march-1' };
    const sixteenth = sixteenthBirthday(row.birth_date, age);
    const eighteenth = eighteenthBirthday(row.birth_date, age);
    return {
      personId: row.person_id,
      birthDate: row.birth_date,
      sixteenthBirthday: sixteenth,
      eighteenthBirthday: eighteenth,
      inScope: Number(row.relevant_cases) > 0,
      placed: isPlacedYouth(facts),
      departmentIds: (row.department_ids ?? []).sort(),
      track: facts.track?.track ?? null,
      started: facts.started !== null,
      closed: facts.closed !== null,
      flags,
      nextDue: flags[0]?.dueDate ?? (sixteenth > today ? sixteenth : eighteenth),
      facts,
    };
  }

  private async primaryContacts(
    personIds: string[],
  ): Promise<Map<string, { caseworkerId: string; name: string | null }>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      { person_id: string; caseworker_id: string; name: string | null }[]
    >(
      `SELECT DISTINCT ON (m.person_id) m.person_id, f.primary_contact_id AS caseworker_id, n.name
         FROM coordination_members m
         JOIN coordination_families f ON f.family_id = m.family_id AND f.primary_contact_id IS NOT NULL
         LEFT JOIN caseworker_names n ON n.caseworker_id = f.primary_contact_id
        WHERE m.person_id = ANY($1::uuid[])
        ORDER BY m.person_id, f.primary_contact_at`,
      [personIds],
    );
    return new Map(
      rows.map((row) => [row.person_id, { caseworkerId: row.caseworker_id, name: row.name }]),
    );
  }

  async list(
    filter: TransitionFilter,
    limit: number,
    offset: number,
  ): Promise<Page<YoungPersonView>> {
    const today = this.today();
    const [from, to] = this.birthWindow(filter, today);
    const turningIn = (view: {
      sixteenthBirthday: IsoDate;
      eighteenthBirthday: IsoDate;
    }): boolean => {
      if (!filter.fromMonth && !filter.toMonth) return true;
      const birthday =
        (filter.turning ?? 16) === 16 ? view.sixteenthBirthday : view.eighteenthBirthday;
      const month = birthday.slice(0, 7);
      return month >= (filter.fromMonth ?? month) && month <= (filter.toMonth ?? month);
    };
    const views = (await this.candidates(from, to))
      .map((row) => this.view(row, today))
      .filter(turningIn)
      .filter((v) => !filter.flag || v.flags.some((flag) => flag.code === filter.flag))
      .filter((v) => !filter.departmentId || v.departmentIds.includes(filter.departmentId))
      .filter((v) => !filter.track || v.track === filter.track)
      .sort((a, b) =>
        a.nextDue === b.nextDue
          ? a.personId < b.personId
            ? -1
            : 1
          : a.nextDue < b.nextDue
            ? -1
            : 1,
      );
    const page = views.slice(offset, offset + limit);
    const contacts = await this.primaryContacts(page.map((v) => v.personId));
    return {
      items: page.map(({ facts: _facts, ...v }) => ({
        ...v,
        primaryContact: contacts.get(v.personId) ?? null,
      })),
      total: views.length,
      limit,
      offset,
    };
  }

  /**
   * For the coordination meeting's agenda: everyone of the unfiltered list (about 15–19) plus
   * those turning 16 within `sixteenWithinMonths`, whose relevant open cases touch one of
   * `departmentIds` (filtered in SQL), unpaged and without primary contacts. Someone with only a
   * transition stream and no open case touches no department and is left out.
   */
  async inDepartments(
    departmentIds: readonly string[],
    sixteenWithinMonths: number,
    today: IsoDate = this.today(),
  ): Promise<Omit<YoungPersonView, 'primaryContact'>[]> {
    const [from, listTo] = this.birthWindow({}, today);
    // A day's margin for 29 February; the agenda checks the exact birthday.
    const sixteenSoon = addCalendarDays(addCalendarMonths(today, sixteenWithinMonths - 16 * 12), 1);
    const to = sixteenSoon > listTo ? sixteenSoon : listTo;
    const rows = await this.candidates(from, to, undefined, departmentIds);
    return rows.map((row) => withoutFacts(this.view(row, today)));
  }

  /** One young person: the view, the timeline of the transition's events, today's flags. */
  async one(
    personId: string,
  ): Promise<
    (YoungPersonView & { timeline: { eventId: string; type: string; at: string }[] }) | null
  > {
    const today = this.today();
    const [row] = await this.candidates('0001-01-01', '9999-12-31', personId);
    if (!row) return null;
    const view = withoutFacts(this.view(row, today));
    const contacts = await this.primaryContacts([personId]);
    const events = await this.store.readStream(transitionStream(personId));
    return {
      ...view,
      primaryContact: contacts.get(personId) ?? null,
      timeline: events.map((e) => ({ eventId: e.id, type: e.type, at: occurredAt(e) })),
    };
  }

  /** The transition and its flags as they were at a moment, from the events up to it. */
  async asOf(
    personId: string,
    asOf: Date,
  ): Promise<{
    personId: string;
    asOf: string;
    facts: TransitionFacts;
    flags: TransitionFlag[];
  } | null> {
    const [row] = await this.candidates('0001-01-01', '9999-12-31', personId);
    if (!row) return null;
    const until = asOf.toISOString();
    const events = identifiedEvents(
      (await this.store.readStream(transitionStream(personId))).filter(
        (e) => occurredAt(e) <= until,
      ),
      isTransitionEvent,
    );
    // Placement is today's (from the open cases); the transition's own steps are as they were.
    const facts = foldTransitionFacts(personId, events, row.placed ?? false);
    return {
      personId,
      asOf: until,
      facts,
      flags: transitionFlags(facts, row.birth_date, copenhagenDateOf(asOf), this.policy.rules),
    };
  }
}
