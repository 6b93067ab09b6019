import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CaseListItemEntity } from './case-list.entity';
import {
  AssignCaseworkerDto,
  ChangeCaseworkerDto,
  CloseCaseDto,
  CommandAcceptedDto,
  ListCasesDto,
  OpenCaseDto,
} from './case.dto';
import type { CaseCommand, CaseEvent, CaseState } from '@tovholder/domain';
import { RecordToldDto } from '../families/family.dto';
import { CommandRunner, type PendingCommand } from '../shared/command-runner';
import {
  assignCaseworker,
  changeCaseworker,
  closeCase,
  openCase,
  recordCitizenTold,
} from './case.commands';
import { CaseQueries } from './case.queries';
import { newRecordId } from '../http/idempotency';
import type { Page } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import { caseDetailsVisible } from '../access/access-decision';
import { Allow, Scoped } from '../access/access-rules';
import { CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () =>
    new NotFoundException({ code: 'CASE.NOT_FOUND', message: 'No case with this id' }),
});

type HiddenCaseListItem = Omit<CaseListItemEntity, 'caseType' | 'closeReason'> & {
  caseType: null;
  closeReason: null;
  detailsHidden: true;
};

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Open a case in a department', operationId: 'openCase' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'department', body: 'departmentId' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  async open(@Body() body: OpenCaseDto, @Req() request: Request): Promise<CommandAcceptedDto> {
    const caseId = newRecordId();
    const outcome = await this.commands.run(openCase(caseId, body), request);
    return { caseId, position: outcome.position };
  }

  @Post(':caseId/caseworker')
  @ApiOperation({
    summary: 'Assign the first caseworker of a case',
    operationId: 'assignCaseworker',
  })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAcceptedDto, description: 'The first caseworker of the case' })
  async assignCaseworker(
    @Param('caseId', uuid) caseId: string,
    @Body() body: AssignCaseworkerDto,
    @Req() request: Request,
  ): Promise<CommandAcceptedDto> {
    return this.run(assignCaseworker(caseId, body), request);
  }

  @Post(':caseId/caseworker/change')
  @ApiOperation({ summary: 'Change the caseworker of a case', operationId: 'changeCaseworker' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @HttpCode(200)
  @ApiOkResponse({
    type: CommandAcceptedDto,
    description: 'A new caseworker; the citizen must be told within the notice period',
  })
  async changeCaseworker(
    @Param('caseId', uuid) caseId: string,
    @Body() body: ChangeCaseworkerDto,
    @Req() request: Request,
  ): Promise<CommandAcceptedDto> {
    return this.run(changeCaseworker(caseId, body), request);
  }

  @Post(':caseId/caseworker/told')
  @ApiOperation({
    summary: 'Record that the citizen was told of a new caseworker',
    operationId: 'recordCaseworkerChangeTold',
  })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @HttpCode(200)
  @ApiOkResponse({
    type: CommandAcceptedDto,
    description: 'The citizen has been told of the change of caseworker',
  })
  told(
    @Param('caseId', uuid) caseId: string,
    @Body() body: RecordToldDto,
    @Req() request: Request,
  ): Promise<CommandAcceptedDto> {
    return this.run(recordCitizenTold(caseId, body), request);
  }

  private async run(
    command: PendingCommand<CaseCommand, CaseEvent, CaseState>,
    request: Request,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.commands.run(command, request);
    return { caseId: command.id, position: outcome.position };
  }

  @Post(':caseId/close')
  @ApiOperation({ summary: 'Close a case', operationId: 'closeCase' })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiNotFoundResponse({ description: 'No case with this id' })
  async close(
    @Param('caseId', uuid) caseId: string,
    @Body() body: CloseCaseDto,
    @Req() request: Request,
  ): Promise<CommandAcceptedDto> {
    return this.run(closeCase(caseId, body), request);
  }

  @Get()
  @ApiOperation({ summary: 'List cases', operationId: 'listCases' })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({ description: 'A page of cases, newest first' })
  async list(
    @Query() query: ListCasesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<CaseListItemEntity | HiddenCaseListItem>> {
    const { departmentId, status, limit, offset, waitForPosition } = query;
    const filter = {
      ...(departmentId ? { departmentId } : {}),
      ...(status ? { status } : {}),
    };
    const page: Page<CaseListItemEntity> = await this.queries.list(
      filter,
      limit,
      offset,
      waitForPosition,
    );
    // Like the national overview: every case's existence, the content only where one may see it.
    const items = page.items.map((item) =>
      caseDetailsVisible(principal, {
        departmentId: item.departmentId,
        holds: false,
        consented: false,
      })
        ? item
        : { ...item, caseType: null, closeReason: null, detailsHidden: true as const },
    );
    return { ...page, items };
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'Get a case', operationId: 'getCase' })
  @Allow('caseworker', 'team-leader', 'system')
  @Scoped({ kind: 'case', param: 'caseId' })
  @ApiOkResponse({ type: CaseListItemEntity })
  @ApiNotFoundResponse({ description: 'No case with this id' })
  async get(
    @Param('caseId', uuid) caseId: string,
    @Query() query: ReadAfterDto,
  ): Promise<CaseListItemEntity> {
    const found = await this.queries.get(caseId, query.waitForPosition);
    if (!found)
      throw new NotFoundException({ code: 'CASE.NOT_FOUND', message: 'No case with this id' });
    return found;
  }
}
