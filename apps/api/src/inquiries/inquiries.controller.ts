import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type InquiryCommand } from '@tovholder/domain';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { INQUIRIES, recordInquiry } from './inquiry.commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import {
  AcknowledgeInquiryDto,
  AnswerInquiryDto,
  PostponeInquiryDto,
  RecordInquiryDto,
} from './inquiry.dto';
import { Allow, Scoped } from '../access/access-rules';
import { RecordRead, RecordStep } from '../casework/record-routes';

const NOT_FOUND = { code: 'INQUIRY.NOT_FOUND', message: 'No inquiry with this id' } as const;
const inquiryId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);

/** A citizen's inquiry: acknowledged within the hours (with an answer date), then answered. */
@ApiTags('inquiries')
@Controller('inquiries')
export class InquiriesController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseworkQueries,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => InquiryCommand | Promise<InquiryCommand>,
  ) {
    return this.commands.run(INQUIRIES.on(id, command), request);
  }

  @Post()
  @ApiOperation({ summary: "Record a citizen's inquiry", operationId: 'recordInquiry' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'department', body: 'departmentId' })
  @ApiCreatedResponse({ description: '{ inquiryId, position }' })
  async record(
    @Body() body: RecordInquiryDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { inquiryId: string }> {
    const id = newRecordId();
    const outcome = await this.commands.run(recordInquiry(id, body), request);
    return { inquiryId: id, ...outcome };
  }

  @Post(':inquiryId/acknowledgement')
  @ApiOperation({
    summary: 'Acknowledge an inquiry and promise an answer date',
    operationId: 'acknowledgeInquiry',
  })
  @RecordStep('inquiry', 'inquiryId')
  acknowledge(
    @Param('inquiryId', inquiryId) id: string,
    @Body() body: AcknowledgeInquiryDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'AcknowledgeInquiry',
      inquiryId: id,
      channel: body.channel,
      answerPromisedBy: body.answerPromisedBy,
      acknowledgedAt: body.at,
      now,
    }));
  }

  @Post(':inquiryId/postponement')
  @ApiOperation({
    summary: 'Postpone the answer to an inquiry',
    operationId: 'postponeInquiryAnswer',
  })
  @RecordStep('inquiry', 'inquiryId')
  postpone(
    @Param('inquiryId', inquiryId) id: string,
    @Body() body: PostponeInquiryDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'PostponeInquiryAnswer',
      inquiryId: id,
      answerPromisedBy: body.answerPromisedBy,
      reason: body.reason,
      postponedAt: body.at,
      now,
    }));
  }

  @Post(':inquiryId/answer')
  @ApiOperation({ summary: 'Answer an inquiry', operationId: 'answerInquiry' })
  @RecordStep('inquiry', 'inquiryId')
  answer(
    @Param('inquiryId', inquiryId) id: string,
    @Body() body: AnswerInquiryDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'AnswerInquiry',
      inquiryId: id,
      channel: body.channel,
      answeredAt: body.at,
      now,
    }));
  }

  @Get(':inquiryId')
  @ApiOperation({ summary: "Get an inquiry with today's flags", operationId: 'getInquiry' })
  @RecordRead('inquiry', 'inquiryId')
  @ApiOkResponse({
    description: 'The inquiry: facts, flags for today (ACK_OVERDUE, ANSWER_OVERDUE), timeline',
  })
  async get(@Param('inquiryId', inquiryId) id: string, @Query() query: ReadAfterDto) {
    return this.queries.recordOrNotFound('inquiry', id, query.waitForPosition, NOT_FOUND);
  }

  @Get(':inquiryId/history')
  @ApiOperation({ summary: 'Get an inquiry as it was at a moment', operationId: 'getInquiryAsOf' })
  @RecordRead('inquiry', 'inquiryId')
  @ApiOkResponse({ description: 'The inquiry and its flags as they were at `asOf`' })
  async history(@Param('inquiryId', inquiryId) id: string, @Query() query: HistoryDto) {
    return this.queries.asOfOrNotFound('inquiry', id, query.asOf, NOT_FOUND);
  }
}
