import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../http/page';
import { ListDutyFlagsDto } from './casework.dto';
import { CaseworkQueries, type ListedFlag } from './casework.queries';
import { Allow } from '../access/access-rules';

/** What is overdue or about to be, across every casework duty. */
@ApiTags('casework')
@Controller('casework')
export class CaseworkController {
  constructor(private readonly queries: CaseworkQueries) {}

  @Get('flags')
  @ApiOperation({
    summary: 'List what is overdue or due soon across every casework duty',
    operationId: 'listCaseworkFlags',
  })
  @Allow('caseworker', 'coordinator', 'team-leader', 'system')
  @ApiOkResponse({
    description:
      'Flags of open duties for today, earliest due first: by kind, code, severity, department, case, person',
  })
  async flags(@Query() query: ListDutyFlagsDto): Promise<Page<ListedFlag>> {
    await this.queries.catchUp(query.waitForPosition);
    const { kind, code, severity, departmentId, caseId, personId, limit, offset } = query;
    return this.queries.flags(
      { kind, code, severity, departmentId, caseId, personId },
      limit,
      offset,
    );
  }
}
