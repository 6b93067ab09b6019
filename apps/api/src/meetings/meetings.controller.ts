import {
  Body,
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
  InvalidCommandError,
  MEETING_ERRORS,
  agendaCutOffFor,
  type AgendaItem,
  type MeetingCommand,
} from '@tovholder/domain';
import { isIsoDate } from '@tovholder/domain/shared/calendar-dates';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { agreementOwner, MEETINGS, requireOneOwner } from './meeting.commands';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HistoryDto } from '../coordination/coordination.dto';
import { requireDepartment } from '../departments/departments';
import { newRecordId } from '../http/idempotency';
import { ApiCommandOutcome } from '../http/command-outcome.dto';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import { CLOCK, type Clock } from '../shared/clock';
import type { CommandOutcome } from '../shared/command-execution';
import { AgendaBuilder, agendaRulesFrom } from './agenda-builder.service';
import {
  ApproveMinutesDto,
  CancelAgreementDto,
  CompleteAgreementDto,
  CorrectMinutesDto,
  FreezeAgendaDto,
  ItemMinutesDto,
  ListMeetingsDto,
  MakeAgreementDto,
  PlanMeetingDto,
} from './meeting.dto';
import {
  MEETING_NOT_FOUND,
  MeetingsQueries,
  type MeetingSummary,
  type MeetingView,
} from './meetings.queries';
import { Allow } from '../access/access-rules';
import { aggregateStream } from '../shared/aggregate-stream';

const meetingId = recordIdPipe(MEETING_NOT_FOUND.code, MEETING_NOT_FOUND.message);
const agreementId = recordIdPipe(MEETING_ERRORS.agreementNotFound, 'No agreement with this id');

/**
 * The monthly coordination meeting (Slagelse, 2021): planned with its departments, its agenda
 * composed from the read models and frozen at the cut-off, minutes and agreements recorded at
 * the meeting, approved, corrected afterwards, and the agreements followed up.
 */
@ApiTags('meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly casework: CaseworkQueries,
    private readonly queries: MeetingsQueries,
    private readonly agendas: AgendaBuilder,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => MeetingCommand | Promise<MeetingCommand>,
  ) {
    return this.commands.run(MEETINGS.on(id, command), request);
  }

  @Post()
  @ApiOperation({ summary: 'Plan a coordination meeting', operationId: 'planMeeting' })
  @Allow('coordinator', 'system')
  @ApiCreatedResponse({ description: '{ meetingId, agendaCutOffAt, position }' })
  async plan(
    @Body() body: PlanMeetingDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { meetingId: string; agendaCutOffAt: string }> {
    // The default cut-off counts working days back from the date: it must be a real day first.
    if (!isIsoDate(body.date)) {
      throw new InvalidCommandError(MEETING_ERRORS.invalidDate, 'date is not a real date', {
        field: 'date',
      });
    }
    const defaults = this.config.meetings;
    const chairDepartmentId = body.chairDepartmentId ?? defaults.chairDepartmentId;
    const departmentIds = body.departmentIds ?? [...defaults.departmentIds];
    const agendaCutOffAt =
      body.agendaCutOffAt ?? agendaCutOffFor(body.date, agendaRulesFrom(this.config));
    const id = newRecordId();
    const outcome = await this.run(id, request, async ({ manager, now }) => {
      for (const departmentId of new Set([chairDepartmentId, ...departmentIds])) {
        await requireDepartment(manager, departmentId);
      }
      return {
        type: 'PlanMeeting',
        meetingId: id,
        date: body.date,
        chairDepartmentId,
        departmentIds,
        agendaCutOffAt,
        now,
      };
    });
    return { meetingId: id, agendaCutOffAt: agendaCutOffAt.toISOString(), ...outcome };
  }

  @Post(':meetingId/agenda/freeze')
  @ApiOperation({ summary: "Compose and freeze a meeting's agenda", operationId: 'freezeAgenda' })
  @Allow('coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '{ itemCount, previousMeetingId, position }: the agenda composed now, frozen. Before the cut-off only with force',
  })
  async freeze(
    @Param('meetingId', meetingId) id: string,
    @Body() body: FreezeAgendaDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { itemCount: number; previousMeetingId: string | null }> {
    // From the stream, not the read model: a meeting planned a moment ago can be frozen.
    const { state } = await aggregateStream(
      this.store,
      MEETINGS.streamOf(id),
      MEETINGS.decider,
      MEETINGS.reading,
    );
    const planned = state.planned;
    if (planned === null) throw new NotFoundException(MEETING_NOT_FOUND);
    // Compose only when the freeze can succeed; otherwise the decider refuses with its reason.
    // The decider gets the same `now`, so it cannot see the cut-off passed when this did not.
    const now = this.clock.now();
    const refused =
      state.agenda !== null ||
      (body.force !== true && now.getTime() < new Date(planned.agendaCutOffAt).getTime());
    let items: AgendaItem[] = [];
    let previousMeetingId: string | null = null;
    if (!refused) {
      await this.agendas.catchUpWithLog();
      ({ items, previousMeetingId } = await this.agendas.build({
        meetingId: id,
        date: planned.date,
        departmentIds: planned.departmentIds,
      }));
    }
    const outcome = await this.run(id, request, () => ({
      type: 'FreezeAgenda',
      meetingId: id,
      previousMeetingId,
      items,
      force: body.force,
      now,
    }));
    return { itemCount: items.length, previousMeetingId, ...outcome };
  }

  @Post(':meetingId/items/:itemId/minutes')
  @ApiOperation({ summary: 'Record the minutes of an agenda item', operationId: 'recordMinutes' })
  @Allow('coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Before approval a later record replaces the earlier one' })
  recordMinutes(
    @Param('meetingId', meetingId) id: string,
    @Param('itemId') itemId: string,
    @Body() body: ItemMinutesDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'RecordItemMinutes',
      meetingId: id,
      itemId,
      outcome: body.outcome,
      decisions: body.decisions,
      now,
    }));
  }

  @Post(':meetingId/agreements')
  @ApiOperation({ summary: 'Make an agreement at a meeting', operationId: 'makeAgreement' })
  @Allow('coordinator', 'system')
  @ApiCreatedResponse({ description: '{ agreementId, position }' })
  async makeAgreement(
    @Param('meetingId', meetingId) id: string,
    @Body() body: MakeAgreementDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { agreementId: string }> {
    requireOneOwner(body.owner);
    const newId = newRecordId();
    const outcome = await this.run(id, request, async (preparation) => ({
      type: 'MakeAgreement',
      meetingId: id,
      agreementId: newId,
      itemId: body.itemId,
      what: body.what,
      owner: await agreementOwner(preparation, body.owner),
      dueDate: body.dueDate,
      now: preparation.now,
    }));
    return { agreementId: newId, ...outcome };
  }

  @Post(':meetingId/approval')
  @ApiOperation({ summary: "Approve a meeting's minutes", operationId: 'approveMinutes' })
  @Allow('coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The minutes are approved: from now on only corrections' })
  async approve(
    @Param('meetingId', meetingId) id: string,
    @Body() body: ApproveMinutesDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, async ({ store, now }) => ({
      type: 'ApproveMinutes',
      meetingId: id,
      by: await loadCaseworkerFacts(store, body.caseworkerId),
      now,
    }));
  }

  @Post(':meetingId/items/:itemId/correction')
  @ApiOperation({
    summary: 'Correct the approved minutes of an agenda item',
    operationId: 'correctMinutes',
  })
  @Allow('coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'A correction of approved minutes, kept beside the original' })
  correct(
    @Param('meetingId', meetingId) id: string,
    @Param('itemId') itemId: string,
    @Body() body: CorrectMinutesDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'CorrectMinutes',
      meetingId: id,
      itemId,
      outcome: body.outcome,
      decisions: body.decisions,
      reason: body.reason,
      now,
    }));
  }

  @Post(':meetingId/agreements/:agreementId/completion')
  @ApiOperation({ summary: 'Mark an agreement as done', operationId: 'completeAgreement' })
  @ApiCommandOutcome()
  @Allow('coordinator', 'caseworker', 'system')
  @HttpCode(200)
  complete(
    @Param('meetingId', meetingId) id: string,
    @Param('agreementId', agreementId) agreement: string,
    @Body() body: CompleteAgreementDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'CompleteAgreement',
      meetingId: id,
      agreementId: agreement,
      note: body.note,
      now,
    }));
  }

  @Post(':meetingId/agreements/:agreementId/cancellation')
  @ApiOperation({ summary: 'Cancel an agreement', operationId: 'cancelAgreement' })
  @ApiCommandOutcome()
  @Allow('coordinator', 'system')
  @HttpCode(200)
  cancel(
    @Param('meetingId', meetingId) id: string,
    @Param('agreementId', agreementId) agreement: string,
    @Body() body: CancelAgreementDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'CancelAgreement',
      meetingId: id,
      agreementId: agreement,
      reason: body.reason,
      now,
    }));
  }

  @Get()
  @ApiOperation({ summary: 'List meetings', operationId: 'listMeetings' })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @ApiOkResponse({ description: 'Meetings between fromDate and toDate, newest first, paged' })
  async list(@Query() query: ListMeetingsDto): Promise<Page<MeetingSummary>> {
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.list(query.fromDate, query.toDate, query.limit, query.offset);
  }

  @Get(':meetingId')
  @ApiOperation({
    summary: 'Get a meeting with its agenda, minutes and agreements',
    operationId: 'getMeeting',
  })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @ApiOkResponse({
    description:
      'The meeting: plan, agenda by section, minutes, agreements (status, overdue), approval, flags (AGREEMENT_OVERDUE)',
  })
  get(
    @Param('meetingId', meetingId) id: string,
    @Query() query: ReadAfterDto,
  ): Promise<MeetingView> {
    return this.queries.view(id, query.waitForPosition);
  }

  @Get(':meetingId/history')
  @ApiOperation({ summary: 'Get a meeting as it was at a moment', operationId: 'getMeetingAsOf' })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @ApiOkResponse({ description: 'The meeting and its flags as they were at `asOf`' })
  history(@Param('meetingId', meetingId) id: string, @Query() query: HistoryDto) {
    return this.casework.asOfOrNotFound('meeting', id, query.asOf, MEETING_NOT_FOUND);
  }
}
