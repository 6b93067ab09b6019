import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { requestMetadata } from '../http/request-metadata';
import { CLOCK, type Clock } from '../shared/clock';
import { CaseListItemEntity } from './case-list.entity';
import { ExecuteCaseCommand } from './case.commands';
import { CloseCaseDto, CommandAcceptedDto, ListCasesDto, OpenCaseDto } from './case.dto';
import { GetCaseQuery, ListCasesQuery, type Page } from './case.queries';
import { ReadAfterDto } from '../http/read-after.dto';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () =>
    new NotFoundException({ code: 'CASE.NOT_FOUND', message: 'No case with this id' }),
});

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  async open(@Body() body: OpenCaseDto, @Req() request: Request): Promise<CommandAcceptedDto> {
    const caseId = randomUUID();
    const outcome = await this.commands.execute(
      new ExecuteCaseCommand(
        { type: 'OpenCase', caseId, ...body, now: this.clock.now() },
        requestMetadata(request),
      ),
    );
    return { caseId, position: outcome.position };
  }

  @Post(':caseId/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiNotFoundResponse({ description: 'No case with this id' })
  async close(
    @Param('caseId', uuid) caseId: string,
    @Body() body: CloseCaseDto,
    @Req() request: Request,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.commands.execute(
      new ExecuteCaseCommand(
        { type: 'CloseCase', caseId, reason: body.reason, now: this.clock.now() },
        requestMetadata(request),
      ),
    );
    return { caseId, position: outcome.position };
  }

  @Get()
  @ApiOkResponse({ description: 'A page of cases, newest first' })
  list(@Query() query: ListCasesDto): Promise<Page<CaseListItemEntity>> {
    const { departmentId, status, limit, offset, waitForPosition } = query;
    const filter = {
      ...(departmentId ? { departmentId } : {}),
      ...(status ? { status } : {}),
    };
    return this.queries.execute(new ListCasesQuery(filter, limit, offset, waitForPosition));
  }

  @Get(':caseId')
  @ApiOkResponse({ type: CaseListItemEntity })
  @ApiNotFoundResponse({ description: 'No case with this id' })
  async get(
    @Param('caseId', uuid) caseId: string,
    @Query() query: ReadAfterDto,
  ): Promise<CaseListItemEntity> {
    const found = await this.queries.execute(new GetCaseQuery(caseId, query.waitForPosition));
    if (!found) throw new NotFoundException({ code: 'CASE.NOT_FOUND', message: 'No case with this id' });
    return found;
  }
}
