import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ApplicationCommand } from '@tovholder/domain';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { APPLICATIONS, receiveApplication } from './application.commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import { HappenedAtDto } from '../http/happened-at.dto';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import {
  ApologyDto,
  BoardRulingDto,
  DelayNoticeDto,
  IssueApplicationDecisionDto,
  ReassessmentDto,
  ReceiveApplicationDto,
  SupplementDecisionDto,
} from './application.dto';
import { Allow, Scoped } from '../access/access-rules';
import { RecordRead, RecordStep } from '../casework/record-routes';

const NOT_FOUND = {
  code: 'APPLICATION.NOT_FOUND',
  message: 'No application with this id',
} as const;
const applicationId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);
const decisionId = recordIdPipe('APPLICATION.DECISION_NOT_FOUND', 'No decision with this id');
const caseId = recordIdPipe('CASE.NOT_FOUND', 'No case with this id');

/**
 * An application in a case: the published processing deadline it gets, notices of delay, the
 * decision with its checklist, and an appeal through reassessment and the appeals board.
 */
@ApiTags('applications')
@Controller()
export class ApplicationsController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseworkQueries,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => ApplicationCommand | Promise<ApplicationCommand>,
  ) {
    return this.commands.run(APPLICATIONS.on(id, command), request);
  }

  @Post('cases/:caseId/applications')
  @ApiOperation({ summary: 'Receive an application in a case', operationId: 'receiveApplication' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @ApiCreatedResponse({ description: '{ applicationId, deadline, position }' })
  async receive(
    @Param('caseId', caseId) id: string,
    @Body() body: ReceiveApplicationDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { applicationId: string; deadline: string }> {
    const newId = newRecordId();
    const { pending, received } = receiveApplication(newId, id, body);
    const outcome = await this.commands.run(pending, request);
    return { applicationId: newId, deadline: received.deadline, ...outcome };
  }

  @Post('applications/:applicationId/delay-notice')
  @ApiOperation({
    summary: 'Send notice that the decision on an application will be late',
    operationId: 'sendApplicationDelayNotice',
  })
  @RecordStep('application', 'applicationId')
  delayNotice(
    @Param('applicationId', applicationId) id: string,
    @Body() body: DelayNoticeDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'SendDelayNotice',
      applicationId: id,
      channel: body.channel,
      expectedDecisionBy: body.expectedDecisionBy,
      reason: body.reason,
      sentAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions')
  @ApiOperation({ summary: 'Issue the decision on an application', operationId: 'issueDecision' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'record', recordKind: 'application', param: 'applicationId' })
  @ApiCreatedResponse({ description: '{ decisionId, position }' })
  async decide(
    @Param('applicationId', applicationId) id: string,
    @Body() body: IssueApplicationDecisionDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { decisionId: string }> {
    const newId = newRecordId();
    const { checklist } = body;
    const outcome = await this.run(id, request, ({ now }) => ({
      type: 'IssueDecision',
      applicationId: id,
      decisionId: newId,
      outcome: body.outcome,
      channel: body.channel,
      checklist: {
        reasonsGiven: checklist.reasonsGiven,
        hearing: checklist.hearing,
        hearingNotNeededReason: checklist.hearingNotNeededReason ?? null,
        appealGuidanceIncluded: checklist.appealGuidanceIncluded,
        consent: checklist.consent,
      },
      decidedAt: body.at,
      now,
    }));
    return { decisionId: newId, ...outcome };
  }

  @Post('applications/:applicationId/decisions/:decisionId/supplement')
  @ApiOperation({ summary: 'Supplement a decision', operationId: 'supplementDecision' })
  @RecordStep('application', 'applicationId')
  supplement(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: SupplementDecisionDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'SupplementDecision',
      applicationId: id,
      decisionId: decision,
      supplied: body.supplied,
      channel: body.channel,
      suppliedAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions/:decisionId/appeal')
  @ApiOperation({ summary: 'Record an appeal against a decision', operationId: 'appealDecision' })
  @RecordStep('application', 'applicationId')
  appeal(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: HappenedAtDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'AppealDecision',
      applicationId: id,
      decisionId: decision,
      appealedAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions/:decisionId/appeal/reassessment')
  @ApiOperation({
    summary: 'Record the reassessment of an appealed decision',
    operationId: 'reassessAppeal',
  })
  @RecordStep('application', 'applicationId')
  reassess(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: ReassessmentDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'ReassessAppeal',
      applicationId: id,
      decisionId: decision,
      outcome: body.outcome,
      reassessedAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions/:decisionId/appeal/forwarding')
  @ApiOperation({ summary: 'Forward an appeal to the appeals board', operationId: 'forwardAppeal' })
  @RecordStep('application', 'applicationId')
  forward(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: HappenedAtDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'ForwardAppeal',
      applicationId: id,
      decisionId: decision,
      forwardedAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions/:decisionId/appeal/ruling')
  @ApiOperation({
    summary: "Record the appeals board's ruling on an appeal",
    operationId: 'recordBoardRuling',
  })
  @RecordStep('application', 'applicationId')
  ruling(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: BoardRulingDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'RecordBoardRuling',
      applicationId: id,
      decisionId: decision,
      outcome: body.outcome,
      ruledAt: body.at,
      now,
    }));
  }

  @Post('applications/:applicationId/decisions/:decisionId/apology')
  @ApiOperation({
    summary: 'Send the citizen an apology for a late decision',
    operationId: 'sendApology',
  })
  @RecordStep('application', 'applicationId')
  apology(
    @Param('applicationId', applicationId) id: string,
    @Param('decisionId', decisionId) decision: string,
    @Body() body: ApologyDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'SendApology',
      applicationId: id,
      decisionId: decision,
      channel: body.channel,
      sentAt: body.at,
      now,
    }));
  }

  @Get('applications/:applicationId')
  @ApiOperation({ summary: "Get an application with today's flags", operationId: 'getApplication' })
  @RecordRead('application', 'applicationId')
  @ApiOkResponse({
    description: 'The application: deadline, notices, decisions, appeal, flags for today, timeline',
  })
  async get(@Param('applicationId', applicationId) id: string, @Query() query: ReadAfterDto) {
    return this.queries.recordOrNotFound('application', id, query.waitForPosition, NOT_FOUND);
  }

  @Get('applications/:applicationId/history')
  @ApiOperation({
    summary: 'Get an application as it was at a moment',
    operationId: 'getApplicationAsOf',
  })
  @RecordRead('application', 'applicationId')
  @ApiOkResponse({ description: 'The application and its flags as they were at `asOf`' })
  async history(@Param('applicationId', applicationId) id: string, @Query() query: HistoryDto) {
    return this.queries.asOfOrNotFound('application', id, query.asOf, NOT_FOUND);
  }
}
