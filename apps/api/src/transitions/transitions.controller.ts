import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TransitionCommand } from '@tovholder/domain';
import type { Request } from 'express';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import {
  assignAdultCaseworker,
  startPreparation,
  transitionNotFound,
  transitionOf,
} from './transition.commands';
import { CommandStep } from '../casework/record-routes';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { TransitionScheduler, type SchedulerRun } from './transition-scheduler.service';
import {
  AssignAdultCaseworkerDto,
  ChooseTrackDto,
  CloseTransitionDto,
  IssueDecisionDto,
  ListTransitionsDto,
  StartPreparationDto,
  StepDto,
} from './transition.dto';
import { TransitionsQueries, type YoungPersonView } from './transitions.queries';
import { Allow, Scoped } from '../access/access-rules';

const notFound = transitionNotFound;

/** A step of a young person's transition: the youth unit, caseworkers and the system, scoped. */
const TransitionStep = (): MethodDecorator =>
  CommandStep(['youth-unit', 'caseworker', 'system'], { kind: 'person', param: 'personId' });
const personId = new ParseUUIDPipe({ exceptionFactory: notFound });

/** The youth unit's view and the steps of a transition from the 16th birthday to adult services. */
@ApiTags('transitions')
@Controller('transitions')
export class TransitionsController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: TransitionsQueries,
    private readonly scheduler: TransitionScheduler,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => TransitionCommand | Promise<TransitionCommand>,
  ): Promise<CommandOutcome> {
    return this.commands.run(transitionOf(id, command), request);
  }

  private issueDecision(
    type: 'IssueAdultDecision' | 'IssueAftercareDecision',
    id: string,
    body: IssueDecisionDto,
    request: Request,
  ): Promise<CommandOutcome> {
    const decisionId = newRecordId();
    return this.run(id, request, ({ now }) => ({
      type,
      personId: id,
      decisionId,
      effectiveFrom: body.effectiveFrom,
      issuedAt: body.at,
      now,
    }));
  }

  @Get()
  @ApiOperation({
    summary: 'List young people in transition to adult life',
    operationId: 'listTransitions',
  })
  @Allow('youth-unit', 'caseworker', 'coordinator', 'system')
  @ApiOkResponse({
    description:
      'Young people in scope, most urgent first; by month of their 16th or 18th birthday, flag, department, track',
  })
  async list(@Query() query: ListTransitionsDto): Promise<Page<YoungPersonView>> {
    await this.queries.catchUp(query.waitForPosition);
    const { turning, fromMonth, toMonth, flag, departmentId, track, limit, offset } = query;
    return this.queries.list(
      { turning, fromMonth, toMonth, flag, departmentId, track },
      limit,
      offset,
    );
  }

  @Get(':personId')
  @ApiOperation({
    summary: "Get a young person's transition to adult life",
    operationId: 'getTransition',
  })
  @Allow('youth-unit', 'caseworker', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({
    description:
      'One young person: birthdays, scope, track, flags with due dates and rules, primary contact, timeline',
  })
  async one(@Param('personId', personId) id: string, @Query() query: ReadAfterDto) {
    await this.queries.catchUp(query.waitForPosition);
    return (await this.queries.one(id)) ?? Promise.reject(notFound());
  }

  @Get(':personId/history')
  @ApiOperation({
    summary: "Get a young person's transition as it was at a moment",
    operationId: 'getTransitionAsOf',
  })
  @Allow('youth-unit', 'caseworker', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({
    description: 'The transition and its flags as they were at `asOf`, computed from the events',
  })
  async history(@Param('personId', personId) id: string, @Query() query: HistoryDto) {
    return (await this.queries.asOf(id, query.asOf)) ?? Promise.reject(notFound());
  }

  /** For operators and tests: the daily run, now (it also runs by itself once a day). */
  @Post('scheduler/run')
  @ApiOperation({
    summary: 'Run the daily transition scheduler now',
    operationId: 'runTransitionScheduler',
  })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ ranFor, recorded }, or 409 when another instance is running it',
  })
  async runScheduler(): Promise<SchedulerRun> {
    const result = await this.scheduler.run();
    if (!result) {
      throw new NotFoundException({
        code: 'SCHEDULER.BUSY',
        message: 'Another instance is running the scheduler right now',
      });
    }
    return result;
  }

  @Post(':personId/preparation')
  @ApiOperation({
    summary: "Start preparing a young person's transition to adult life",
    operationId: 'startTransitionPreparation',
  })
  @TransitionStep()
  async startPreparation(
    @Param('personId', personId) id: string,
    @Body() body: StartPreparationDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(startPreparation(id, body), request);
  }

  @Put(':personId/track')
  @ApiOperation({
    summary: 'Choose the track of a transition',
    operationId: 'chooseTransitionTrack',
  })
  @TransitionStep()
  chooseTrack(
    @Param('personId', personId) id: string,
    @Body() body: ChooseTrackDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'ChooseTrack',
      personId: id,
      track: body.track,
      note: body.note,
      chosenAt: body.at,
      now,
    }));
  }

  @Put(':personId/adult-caseworker')
  @ApiOperation({
    summary: 'Assign the adult caseworker of a transition',
    operationId: 'assignAdultCaseworker',
  })
  @TransitionStep()
  async assignAdultCaseworker(
    @Param('personId', personId) id: string,
    @Body() body: AssignAdultCaseworkerDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(assignAdultCaseworker(id, body), request);
  }

  @Post(':personId/assessment')
  @ApiOperation({
    summary: 'Start the adult assessment of a transition',
    operationId: 'startTransitionAssessment',
  })
  @TransitionStep()
  startAssessment(
    @Param('personId', personId) id: string,
    @Body() body: StepDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'StartAdultAssessment',
      personId: id,
      startedAt: body.at,
      now,
    }));
  }

  @Post(':personId/youth-plan')
  @ApiOperation({
    summary: "Record a placed young person's youth plan",
    operationId: 'recordYouthPlan',
  })
  @TransitionStep()
  recordYouthPlan(
    @Param('personId', personId) id: string,
    @Body() body: StepDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'RecordYouthPlan',
      personId: id,
      recordedAt: body.at,
      now,
    }));
  }

  @Post(':personId/adult-decision')
  @ApiOperation({
    summary: 'Issue the decision on adult support',
    operationId: 'issueAdultDecision',
  })
  @TransitionStep()
  issueAdultDecision(
    @Param('personId', personId) id: string,
    @Body() body: IssueDecisionDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.issueDecision('IssueAdultDecision', id, body, request);
  }

  @Post(':personId/aftercare-decision')
  @ApiOperation({
    summary: 'Issue the decision on aftercare',
    operationId: 'issueAftercareDecision',
  })
  @TransitionStep()
  issueAftercareDecision(
    @Param('personId', personId) id: string,
    @Body() body: IssueDecisionDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.issueDecision('IssueAftercareDecision', id, body, request);
  }

  @Post(':personId/handover')
  @ApiOperation({
    summary: 'Complete the handover to the adult caseworker',
    operationId: 'completeTransitionHandover',
  })
  @TransitionStep()
  completeHandover(
    @Param('personId', personId) id: string,
    @Body() body: StepDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'CompleteHandover',
      personId: id,
      completedAt: body.at,
      now,
    }));
  }

  @Post(':personId/close')
  @ApiOperation({ summary: 'Close a transition', operationId: 'closeTransition' })
  @TransitionStep()
  close(
    @Param('personId', personId) id: string,
    @Body() body: CloseTransitionDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'CloseTransition',
      personId: id,
      reason: body.reason,
      note: body.note,
      closedAt: body.at,
      now,
    }));
  }
}
