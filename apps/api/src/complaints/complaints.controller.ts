import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { complaintDecider, complaintStream, type ComplaintCommand } from '@tovholder/domain';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadCaseFacts } from '../cases/case-facts';
import { CaseworkQueries } from '../casework/casework.queries';
import { DutyCommands, recordIdPipe } from '../casework/duty-commands';
import { HistoryDto } from '../coordination/coordination.dto';
import { requireDepartment } from '../departments/departments';
import { ApiCommandOutcome } from '../http/command-outcome.dto';
import { ReadAfterDto } from '../http/read-after.dto';
import { requirePerson } from '../persons/persons';
import type { CommandOutcome } from '../shared/command-execution';
import { RegisterComplaintDto, ResolveComplaintDto } from './complaint.dto';
import { Allow, Scoped } from '../access/access-rules';

const NOT_FOUND = { code: 'COMPLAINT.NOT_FOUND', message: 'No complaint with this id' } as const;
const complaintId = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);

/** A complaint about staff, service or casework: registered, then resolved within the policy's days. */
@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly duties: DutyCommands,
    private readonly queries: CaseworkQueries,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private run(id: string, request: Request, command: (now: Date) => ComplaintCommand) {
    return this.duties.run(complaintStream(id), complaintDecider, request, command);
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
    await requireDepartment(this.dataSource.manager, body.departmentId);
    if (body.personId !== undefined) await requirePerson(this.dataSource.manager, body.personId);
    // From the case's own stream: a complaint may not name a case that does not exist.
    if (body.caseId !== undefined) await loadCaseFacts(this.store, body.caseId);
    const id = randomUUID();
    const outcome = await this.run(id, request, (now) => ({
      type: 'RegisterComplaint',
      complaintId: id,
      departmentId: body.departmentId,
      caseId: body.caseId ?? null,
      personId: body.personId ?? null,
      about: body.about,
      channel: body.channel,
      receivedAt: body.at,
      now,
    }));
    return { complaintId: id, ...outcome };
  }

  @Post(':complaintId/resolution')
  @ApiOperation({ summary: 'Resolve a complaint', operationId: 'resolveComplaint' })
  @ApiCommandOutcome()
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'record', recordKind: 'complaint', param: 'complaintId' })
  @HttpCode(200)
  resolve(
    @Param('complaintId', complaintId) id: string,
    @Body() body: ResolveComplaintDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, (now) => ({
      type: 'ResolveComplaint',
      complaintId: id,
      outcome: body.outcome,
      resolvedAt: body.at,
      now,
    }));
  }

  @Get(':complaintId')
  @ApiOperation({ summary: "Get a complaint with today's flags", operationId: 'getComplaint' })
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'record', recordKind: 'complaint', param: 'complaintId' })
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
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'record', recordKind: 'complaint', param: 'complaintId' })
  @ApiOkResponse({ description: 'The complaint and its flags as they were at `asOf`' })
  async history(@Param('complaintId', complaintId) id: string, @Query() query: HistoryDto) {
    return this.queries.asOfOrNotFound('complaint', id, query.asOf, NOT_FOUND);
  }
}
