import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ComplaintCommand } from '@tovholder/domain';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { COMPLAINTS, registerComplaint } from './complaint.commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { newRecordId } from '../http/idempotency';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { RegisterComplaintDto, ResolveComplaintDto } from './complaint.dto';
import { Allow, Scoped } from '../access/access-rules';
import { RecordRead, RecordStep } from '../casework/record-routes';

const NOT_FOUND = { code: 'COMPLAINT.NOT_FOUND', message: 'No complaint with this id' } as const;
const complaintId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);

/** A complaint about staff, service or casework: registered, then resolved within the policy's days. */
@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseworkQueries,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => ComplaintCommand | Promise<ComplaintCommand>,
  ) {
    return this.commands.run(COMPLAINTS.on(id, command), request);
  }

  @Post()
  @ApiOperation({ summary: 'Register a complaint', operationId: 'registerComplaint' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'department', body: 'departmentId' })
  @ApiCreatedResponse({ description: '{ complaintId, position }' })
  async register(
    @Body() body: RegisterComplaintDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { complaintId: string }> {
    const id = newRecordId();
    const outcome = await this.commands.run(registerComplaint(id, body), request);
    return { complaintId: id, ...outcome };
  }

  @Post(':complaintId/resolution')
  @ApiOperation({ summary: 'Resolve a complaint', operationId: 'resolveComplaint' })
  @RecordStep('complaint', 'complaintId', ['caseworker', 'team-leader', 'system'])
  resolve(
    @Param('complaintId', complaintId) id: string,
    @Body() body: ResolveComplaintDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'ResolveComplaint',
      complaintId: id,
      outcome: body.outcome,
      resolvedAt: body.at,
      now,
    }));
  }

  @Get(':complaintId')
  @ApiOperation({ summary: "Get a complaint with today's flags", operationId: 'getComplaint' })
  @RecordRead('complaint', 'complaintId')
  @ApiOkResponse({
    description: 'The complaint: facts, flags for today (COMPLAINT_OVERDUE), timeline',
  })
  async get(@Param('complaintId', complaintId) id: string, @Query() query: ReadAfterDto) {
    return this.queries.recordOrNotFound('complaint', id, query.waitForPosition, NOT_FOUND);
  }

  @Get(':complaintId/history')
  @ApiOperation({
    summary: 'Get a complaint as it was at a moment',
    operationId: 'getComplaintAsOf',
  })
  @RecordRead('complaint', 'complaintId')
  @ApiOkResponse({ description: 'The complaint and its flags as they were at `asOf`' })
  async history(@Param('complaintId', complaintId) id: string, @Query() query: HistoryDto) {
    return this.queries.asOfOrNotFound('complaint', id, query.asOf, NOT_FOUND);
  }
}
