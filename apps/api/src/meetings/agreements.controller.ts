import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../http/page';
import { ListAgreementsDto } from './meeting.dto';
import { MeetingsQueries, type OpenAgreementView } from './meetings.queries';
import { Allow } from '../access/access-rules';

/** The coordination meetings' agreements still to be carried out, across meetings. */
@ApiTags('meetings')
@Controller('agreements')
export class AgreementsController {
  constructor(private readonly queries: MeetingsQueries) {}

  @Get()
  @ApiOperation({ summary: 'List agreements made at meetings', operationId: 'listAgreements' })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @ApiOkResponse({
    description:
      "Open agreements across meetings, most overdue first; status 'overdue' keeps those past their due date (AGREEMENT_OVERDUE)",
  })
  async list(@Query() query: ListAgreementsDto): Promise<Page<OpenAgreementView>> {
    await this.queries.catchUp(query.waitForPosition);
    const { status, departmentId, limit, offset } = query;
    const agreements = (await this.queries.openAgreements())
      .filter((agreement) => status !== 'overdue' || agreement.overdue)
      .filter((agreement) => !departmentId || agreement.ownerDepartmentId === departmentId)
      // Overdue first; within each, the earliest due first (openAgreements' order).
      .sort((a, b) => Number(b.overdue) - Number(a.overdue));
    return {
      items: agreements.slice(offset, offset + limit),
      total: agreements.length,
      limit,
      offset,
    };
  }
}
