import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  caseDecider,
  caseStream,
  fold,
  visitationDecider,
  visitationStream,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type CaseworkerFacts,
  type VisitationCommand,
  type VisitationEvent,
} from '@tovholder/domain';
import {
  comparePositions,
  EVENT_STORE,
  parsePosition,
  type EventStore,
} from '@tovholder/event-store';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { CASE_CLOSED, loadOpenCaseFacts } from '../cases/case-facts';
import { CaseworkQueries } from '../casework/casework.queries';
import { DutyCommands, recordIdPipe } from '../casework/duty-commands';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { HistoryDto } from '../coordination/coordination.dto';
import { ApiCommandOutcome } from '../http/command-outcome.dto';
import { HappenedAtDto } from '../http/happened-at.dto';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { RouteReferralDto, VisitationQueueDto, WithdrawReferralDto } from './visitation.dto';
import { VisitationQueries, type QueuedReferral } from './visitation.queries';
import { Allow, Scoped } from '../access/access-rules';

const NOT_FOUND = { code: 'VISITATION.NOT_FOUND', message: 'No referral with this id' } as const;
const referralId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);
const caseId = recordIdPipe('CASE.NOT_FOUND', 'No case with this id');

export interface RoutingOutcome extends CommandOutcome {
  /**
   * Routed to 'caseworker': what the case's stream recorded (written 0 when the caseworker had
   * the case already); null for the other destinations. `position` above covers both writes.
   */
  readonly caseworkerAssignment: (CommandOutcome & { readonly caseId: string }) | null;
}

/** The later of two positions, so one `waitForPosition` reads both writes back. */
function later(a: string, b: string): string {
  return comparePositions(parsePosition(a), parsePosition(b)) >= 0 ? a : b;
}

/**
 * The weekly visitation meeting: a case is referred, waits in the queue (VISITATION_WAITING
 * after the configured days), and is routed to one destination or withdrawn.
 */
@ApiTags('visitation')
@Controller()
export class VisitationController {
  constructor(
    private readonly duties: DutyCommands,
    private readonly casework: CaseworkQueries,
    private readonly queries: VisitationQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private run(id: string, request: Request, command: (now: Date) => VisitationCommand) {
    return this.duties.run(visitationStream(id), visitationDecider, request, command);
  }

  @Post('cases/:caseId/visitation-referrals')
  @ApiOperation({
    summary: 'Refer a case to the weekly visitation',
    operationId: 'referToVisitation',
  })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @ApiCreatedResponse({ description: '{ referralId, position }' })
  async refer(
    @Param('caseId', caseId) id: string,
    @Body() body: HappenedAtDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { referralId: string }> {
    const facts = await loadOpenCaseFacts(this.store, id);
    const waiting = await this.queries.waitingReferralOf(id);
    if (waiting !== null) {
      throw new ConflictException({
        code: 'VISITATION.ALREADY_WAITING',
        message: 'The case has a referral waiting for the visitation meeting',
        details: { referralId: waiting },
      });
    }
    const newId = randomUUID();
    const outcome = await this.run(newId, request, (now) => ({
      type: 'ReferToVisitation',
      referralId: newId,
      caseId: id,
      personId: facts.personId,
      departmentId: facts.departmentId,
      referredAt: body.at,
      now,
    }));
    return { referralId: newId, ...outcome };
  }

  @Get('visitation/queue')
  @ApiOperation({ summary: 'Get the visitation queue', operationId: 'getVisitationQueue' })
  @Allow('caseworker', 'team-leader', 'system')
  @ApiOkResponse({
    description:
      'Referrals neither routed nor withdrawn, oldest first: waiting days, due date, flags for today',
  })
  async queue(@Query() query: VisitationQueueDto): Promise<Page<QueuedReferral>> {
    await this.casework.catchUp(query.waitForPosition);
    return this.queries.queue(query.departmentId, query.limit, query.offset);
  }

  /**
   * Routing to 'caseworker' gives the case that caseworker there and then: the routing event on
   * the referral's stream, then AssignCaseworker (or ChangeCaseworker) on the case's. Two streams
   * cannot be written atomically, so the whole request is safe to send again: the same routing
   * again records nothing (the decider takes it as a retry), and the case command is then tried
   * again; a caseworker who has the case already is not an error. A request that failed between
   * the two writes is finished by repeating it.
   */
  @Post('visitation-referrals/:referralId/routing')
  @ApiOperation({ summary: 'Route a visitation referral', operationId: 'routeVisitationReferral' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'record', recordKind: 'visitation', param: 'referralId' })
  @HttpCode(200)
  @ApiOkResponse({ description: '{ position, revision, written, caseworkerAssignment }' })
  async route(
    @Param('referralId', referralId) id: string,
    @Body() body: RouteReferralDto,
    @Req() request: Request,
  ): Promise<RoutingOutcome> {
    let assignment: { caseId: string; caseworker: CaseworkerFacts } | null = null;
    if (body.destination === 'caseworker' && body.caseworkerId) {
      // A closed case is refused before anything is recorded, not halfway.
      const ofReferral = await this.caseOfReferral(id);
      if ((await this.caseState(ofReferral)).status === 'closed') {
        throw new ConflictException(CASE_CLOSED);
      }
      const caseworker = await loadCaseworkerFacts(this.store, body.caseworkerId);
      assignment = { caseId: ofReferral, caseworker };
    }
    const routed = await this.run(id, request, (now) => ({
      type: 'RouteReferral',
      referralId: id,
      destination: body.destination,
      caseworker: assignment?.caseworker ?? null,
      reasonCode: body.reasonCode,
      note: body.note,
      meetingDate: body.meetingDate,
      routedAt: body.at,
      now,
    }));
    if (assignment === null) return { ...routed, caseworkerAssignment: null };
    const assigned = await this.giveCaseTo(assignment.caseId, assignment.caseworker, request);
    return {
      ...routed,
      position: later(routed.position, assigned.position),
      caseworkerAssignment: { caseId: assignment.caseId, ...assigned },
    };
  }

  @Post('visitation-referrals/:referralId/withdrawal')
  @ApiOperation({
    summary: 'Withdraw a visitation referral',
    operationId: 'withdrawVisitationReferral',
  })
  @ApiCommandOutcome()
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'record', recordKind: 'visitation', param: 'referralId' })
  @HttpCode(200)
  withdraw(
    @Param('referralId', referralId) id: string,
    @Body() body: WithdrawReferralDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, (now) => ({
      type: 'WithdrawReferral',
      referralId: id,
      reason: body.reason,
      withdrawnAt: body.at,
      now,
    }));
  }

  @Get('visitation-referrals/:referralId')
  @ApiOperation({
    summary: "Get a visitation referral with today's flags",
    operationId: 'getVisitationReferral',
  })
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'record', recordKind: 'visitation', param: 'referralId' })
  @ApiOkResponse({
    description: 'The referral: facts, flags for today (VISITATION_WAITING), timeline',
  })
  get(@Param('referralId', referralId) id: string, @Query() query: ReadAfterDto) {
    return this.casework.recordOrNotFound('visitation', id, query.waitForPosition, NOT_FOUND);
  }

  @Get('visitation-referrals/:referralId/history')
  @ApiOperation({
    summary: 'Get a visitation referral as it was at a moment',
    operationId: 'getVisitationReferralAsOf',
  })
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'record', recordKind: 'visitation', param: 'referralId' })
  @ApiOkResponse({ description: 'The referral and its flags as they were at `asOf`' })
  history(@Param('referralId', referralId) id: string, @Query() query: HistoryDto) {
    return this.casework.asOfOrNotFound('visitation', id, query.asOf, NOT_FOUND);
  }

  /** The referral's case, from its own stream (a command must not act on a stale view). */
  private async caseOfReferral(id: string): Promise<string> {
    const events = await this.store.readStream(visitationStream(id));
    const state = fold(
      visitationDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as unknown as VisitationEvent),
    );
    if (state.referral === null) throw new NotFoundException(NOT_FOUND);
    return state.referral.caseId;
  }

  private async caseState(id: string): Promise<CaseState> {
    const events = await this.store.readStream(caseStream(id));
    return fold(
      caseDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as unknown as CaseEvent),
    );
  }

  /**
   * Assign when the case has no caseworker (the same caseworker again records nothing), else
   * change; the citizen is told later (POST /cases/:caseId/caseworker/told).
   */
  private async giveCaseTo(
    id: string,
    caseworker: CaseworkerFacts,
    request: Request,
  ): Promise<CommandOutcome> {
    const state = await this.caseState(id);
    const current = state.status === 'open' ? state.caseworkerId : null;
    return this.duties.run(caseStream(id), caseDecider, request, (now): CaseCommand =>
      current === null || current === caseworker.caseworkerId
        ? { type: 'AssignCaseworker', caseId: id, caseworker, now }
        : {
            type: 'ChangeCaseworker',
            caseId: id,
            to: caseworker,
            reason: 'visitation',
            citizenTold: null,
            now,
          },
    );
  }
}
