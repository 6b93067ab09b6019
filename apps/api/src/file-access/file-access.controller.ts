import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FileAccessCommand } from '@tovholder/domain';
import type { Request } from 'express';
import { CASEWORK_POLICY, type CaseworkPolicy } from '../casework/casework.policy';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { FILE_ACCESS_REQUESTS, requestFileAccess } from './file-access.commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import {
  AnswerFileAccessDto,
  FileAccessDelayLetterDto,
  RequestFileAccessDto,
} from './file-access.dto';
import { Allow, Scoped } from '../access/access-rules';
import { RecordRead, RecordStep } from '../casework/record-routes';

const NOT_FOUND = {
  code: 'FILE_ACCESS.NOT_FOUND',
  message: 'No file-access request with this id',
} as const;
const requestId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);

/**
 * A request for access to one's file (aktindsigt): answered within the working days, or a
 * letter in time with the reason and the date the answer can be expected.
 */
@ApiTags('file-access')
@Controller('file-access-requests')
export class FileAccessController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseworkQueries,
    @Inject(CASEWORK_POLICY) private readonly policy: CaseworkPolicy,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => FileAccessCommand | Promise<FileAccessCommand>,
  ) {
    return this.commands.run(FILE_ACCESS_REQUESTS.on(id, command), request);
  }

  @Post()
  @ApiOperation({
    summary: 'Receive a request for access to a case file',
    operationId: 'receiveFileAccessRequest',
  })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'department', body: 'departmentId' })
  @ApiCreatedResponse({ description: '{ requestId, position }' })
  async receive(
    @Body() body: RequestFileAccessDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { requestId: string }> {
    const id = newRecordId();
    const outcome = await this.commands.run(requestFileAccess(id, body), request);
    return { requestId: id, ...outcome };
  }

  @Post(':requestId/delay-letter')
  @ApiOperation({
    summary: 'Send a letter that access to the file will be late',
    operationId: 'sendFileAccessDelayLetter',
  })
  @RecordStep('file-access', 'requestId')
  delayLetter(
    @Param('requestId', requestId) id: string,
    @Body() body: FileAccessDelayLetterDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'SendFileAccessDelayLetter',
      requestId: id,
      channel: body.channel,
      reason: body.reason,
      expectedBy: body.expectedBy,
      sentAt: body.at,
      // The municipality's deadline (working days, calendar), the same the flags use.
      rules: this.policy.fileAccess,
      now,
    }));
  }

  @Post(':requestId/answer')
  @ApiOperation({
    summary: 'Answer a request for access to a case file',
    operationId: 'answerFileAccessRequest',
  })
  @RecordStep('file-access', 'requestId')
  answer(
    @Param('requestId', requestId) id: string,
    @Body() body: AnswerFileAccessDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'AnswerFileAccess',
      requestId: id,
      outcome: body.outcome,
      channel: body.channel,
      answeredAt: body.at,
      now,
    }));
  }

  @Get(':requestId')
  @ApiOperation({
    summary: "Get a file access request with today's flags",
    operationId: 'getFileAccessRequest',
  })
  @RecordRead('file-access', 'requestId')
  @ApiOkResponse({
    description: 'The request: facts, flags for today (FILE_ACCESS_OVERDUE), timeline',
  })
  async get(@Param('requestId', requestId) id: string, @Query() query: ReadAfterDto) {
    return this.queries.recordOrNotFound('file-access', id, query.waitForPosition, NOT_FOUND);
  }

  @Get(':requestId/history')
  @ApiOperation({
    summary: 'Get a file access request as it was at a moment',
    operationId: 'getFileAccessRequestAsOf',
  })
  @RecordRead('file-access', 'requestId')
  @ApiOkResponse({ description: 'The request and its flags as they were at `asOf`' })
  async history(@Param('requestId', requestId) id: string, @Query() query: HistoryDto) {
    return this.queries.asOfOrNotFound('file-access', id, query.asOf, NOT_FOUND);
  }
}
