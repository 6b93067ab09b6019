import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { comparePositions, parsePosition } from '@tovholder/event-store';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner } from '../shared/command-runner';
import {
  giveCaseTo,
  referToVisitation,
  REFERRAL_NOT_FOUND,
  routeReferral,
  withdrawReferral,
} from './visitation.commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import { HappenedAtDto } from '../http/happened-at.dto';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { RouteReferralDto, VisitationQueueDto, WithdrawReferralDto } from './visitation.dto';
import { VisitationQueries, type QueuedReferral } from './visitation.queries';
import { Allow, Scoped } from '../access/access-rules';
import { RecordRead, RecordStep } from '../casework/record-routes';

const NOT_FOUND = REFERRAL_NOT_FOUND;
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
    private readonly commands: CommandRunner,
    private readonly casework: CaseworkQueries,
    private readonly queries: VisitationQueries,
  ) {}

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
    const newId = newRecordId();
    const outcome = await this.commands.run(
      referToVisitation(newId, id, body, this.queries),
      request,
    );
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
  @RecordStep('visitation', 'referralId')
  @ApiOkResponse({ description: '{ position, revision, written, caseworkerAssignment }' })
  async route(
    @Param('referralId', referralId) id: string,
    @Body() body: RouteReferralDto,
    @Req() request: Request,
  ): Promise<RoutingOutcome> {
    const { pending, routing } = routeReferral(id, body);
    const routed = await this.commands.run(pending, request);
    const assignment = routing.assignment;
    if (assignment === null) return { ...routed, caseworkerAssignment: null };
    const assigned = await this.commands.run(
      giveCaseTo(assignment.caseId, assignment.caseworker, assignment.at),
      request,
    );
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
  @RecordStep('visitation', 'referralId')
  withdraw(
    @Param('referralId', referralId) id: string,
    @Body() body: WithdrawReferralDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(withdrawReferral(id, body), request);
  }

  @Get('visitation-referrals/:referralId')
  @ApiOperation({
    summary: "Get a visitation referral with today's flags",
    operationId: 'getVisitationReferral',
  })
  @RecordRead('visitation', 'referralId')
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
  @RecordRead('visitation', 'referralId')
  @ApiOkResponse({ description: 'The referral and its flags as they were at `asOf`' })
  history(@Param('referralId', referralId) id: string, @Query() query: HistoryDto) {
    return this.casework.asOfOrNotFound('visitation', id, query.asOf, NOT_FOUND);
  }
}
