import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FamilyMinutesExtract } from '@tovholder/domain';
import { CoordinationQueries } from '../coordination/coordination.queries';
import { familyIdPipe } from '../families/families.controller';
import { ReadAfterDto } from '../http/read-after.dto';
import { MeetingsQueries } from './meetings.queries';
import { Allow, Scoped } from '../access/access-rules';

/**
 * The written minutes a family asked for (Slagelse, 2021): from each approved meeting, only the
 * items about that family, with their minutes and agreements.
 */
@ApiTags('meetings')
@Controller()
export class FamilyMinutesController {
  constructor(
    private readonly queries: MeetingsQueries,
    private readonly coordination: CoordinationQueries,
  ) {}

  @Get('families/:familyId/minutes-extract')
  @ApiOperation({
    summary: "Get a family's extract of approved minutes",
    operationId: 'getFamilyMinutesExtract',
  })
  @Allow('coordinator', 'caseworker', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @ApiOkResponse({
    description:
      "The family's items of every approved meeting's minutes, newest meeting first; no other family's data",
  })
  @ApiNotFoundResponse({ description: 'FAMILY.NOT_FOUND' })
  async extract(
    @Param('familyId', familyIdPipe) familyId: string,
    @Query() query: ReadAfterDto,
  ): Promise<{ familyId: string; meetings: FamilyMinutesExtract[] }> {
    await Promise.all([
      this.queries.catchUp(query.waitForPosition),
      this.coordination.catchUp(query.waitForPosition),
    ]);
    if ((await this.coordination.family(familyId)) === null) {
      throw new NotFoundException({ code: 'FAMILY.NOT_FOUND', message: 'No family with this id' });
    }
    return { familyId, meetings: await this.queries.familyExtract(familyId) };
  }
}
