import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MEETING_ERRORS } from '@tovholder/domain';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner } from '../shared/command-runner';
import {
  approveMinutes,
  cancelAgreement,
  completeAgreement,
  correctMinutes,
  freezeAgenda,
  makeAgreement,
  planMeeting,
  recordMinutes,
} from './meeting.commands';
import { CommandStep } from '../casework/record-routes';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { AgendaBuilder } from './agenda-builder.service';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Plan a coordination meeting', operationId: 'planMeeting' })
  @Allow('coordinator', 'system')
  @ApiCreatedResponse({ description: '{ meetingId, agendaCutOffAt, position }' })
  async plan(
    @Body() body: PlanMeetingDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { meetingId: string; agendaCutOffAt: string }> {
    const id = newRecordId();
    const { pending, agendaCutOffAt } = planMeeting(id, body, this.config);
    const outcome = await this.commands.run(pending, request);
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
    const { pending, agenda } = freezeAgenda(id, body, this.agendas);
    const outcome = await this.commands.run(pending, request);
    return {
      itemCount: agenda.items.length,
      previousMeetingId: agenda.previousMeetingId,
      ...outcome,
    };
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
    return this.commands.run(recordMinutes(id, itemId, body), request);
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
    const newId = newRecordId();
    const outcome = await this.commands.run(makeAgreement(id, newId, body), request);
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
    return this.commands.run(approveMinutes(id, body), request);
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
    return this.commands.run(correctMinutes(id, itemId, body), request);
  }

  @Post(':meetingId/agreements/:agreementId/completion')
  @ApiOperation({ summary: 'Mark an agreement as done', operationId: 'completeAgreement' })
  @CommandStep(['coordinator', 'caseworker', 'system'])
  complete(
    @Param('meetingId', meetingId) id: string,
    @Param('agreementId', agreementId) agreement: string,
    @Body() body: CompleteAgreementDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(completeAgreement(id, agreement, body), request);
  }

  @Post(':meetingId/agreements/:agreementId/cancellation')
  @ApiOperation({ summary: 'Cancel an agreement', operationId: 'cancelAgreement' })
  @CommandStep(['coordinator', 'system'])
  cancel(
    @Param('meetingId', meetingId) id: string,
    @Param('agreementId', agreementId) agreement: string,
    @Body() body: CancelAgreementDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(cancelAgreement(id, agreement, body), request);
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
