import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '../http/page';
import { familyIdPipe } from '../families/families.controller';
import { ReadAfterDto } from '../http/read-after.dto';
import { CoordinationHistoryService, type FamilyHistoryView } from './coordination-history.service';
import { CaseloadDto, FlagDto, HistoryDto, ListFlagsDto } from './coordination.dto';
import {
  CoordinationQueries,
  type CaseloadRow,
  type FamilyCoordinationView,
  type FlagView,
} from './coordination.queries';
import { Allow, Scoped } from '../access/access-rules';

const noFamily = () =>
  new NotFoundException({ code: 'FAMILY.NOT_FOUND', message: 'No family with this id' });

@ApiTags('coordination')
@Controller()
export class CoordinationController {
  constructor(
    private readonly queries: CoordinationQueries,
    private readonly history: CoordinationHistoryService,
  ) {}

  @Get('families/:familyId')
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @ApiOkResponse({
    description: 'Members, open cases by department, caseworkers, primary contact and active flags',
  })
  @ApiNotFoundResponse({ description: 'FAMILY.NOT_FOUND' })
  async family(
    @Param('familyId', familyIdPipe) familyId: string,
    @Query() query: ReadAfterDto,
  ): Promise<FamilyCoordinationView> {
    await this.queries.catchUp(query.waitForPosition);
    return (await this.queries.family(familyId)) ?? Promise.reject(noFamily());
  }

  @Get('families/:familyId/history')
  @Allow('coordinator', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @ApiOkResponse({
    description:
      'The coordination state and flags as they were at `asOf`, computed from the events',
  })
  async familyAsOf(
    @Param('familyId', familyIdPipe) familyId: string,
    @Query() query: HistoryDto,
  ): Promise<FamilyHistoryView> {
    return (await this.history.asOf(familyId, query.asOf)) ?? Promise.reject(noFamily());
  }

  @Get('coordination/flags')
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({
    type: [FlagDto],
    description: 'Active flags across the municipality, oldest first, paged',
  })
  async flags(@Query() query: ListFlagsDto): Promise<Page<FlagView>> {
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.flags(
      { code: query.code, departmentId: query.departmentId },
      query.limit,
      query.offset,
    );
  }

  @Get('coordination/caseload')
  @Allow('coordinator', 'team-leader', 'system')
  @ApiOkResponse({ description: 'Per caseworker: open cases and families held as primary contact' })
  async caseload(@Query() query: CaseloadDto): Promise<CaseloadRow[]> {
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.caseload(query.departmentId);
  }
}
