import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Query,
  Req,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { emptyMeetingFacts, type MeetingFacts } from '@tovholder/domain';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { ReadAfterDto } from '../http/read-after.dto';
import { MEETING_NOT_FOUND, MeetingsQueries } from '../meetings/meetings.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { PageLabelsLoader } from './page-labels.loader';
import { renderAgendaPage, renderFamilyExtractPage, renderMinutesPage } from './render';
import { AccessLog } from '../access/access-log';
import { statedPurpose } from '../access/access-request';
import { Allow, Scoped } from '../access/access-rules';
import type { AuthenticatedRequest } from '../auth/auth.guard';

const meetingId = recordIdPipe(MEETING_NOT_FOUND.code, MEETING_NOT_FOUND.message);
const HTML = 'text/html; charset=utf-8';

/**
 * The pages people read at the table: views of the same read models as the JSON API, rendered
 * on the server in Danish and printable on A4.
 */
@ApiTags('meetings')
@Controller()
export class MeetingPagesController {
  constructor(
    private readonly casework: CaseworkQueries,
    private readonly meetings: MeetingsQueries,
    private readonly labels: PageLabelsLoader,
    private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async facts(id: string, waitFor: string | undefined): Promise<MeetingFacts> {
    const record = await this.casework.recordOrNotFound('meeting', id, waitFor, MEETING_NOT_FOUND);
    return (record.facts as MeetingFacts | null) ?? emptyMeetingFacts(id);
  }

  private today(): string {
    return copenhagenDateOf(this.clock.now());
  }

  @Get('meetings/:meetingId/agenda.html')
  @ApiOperation({
    summary: "Get a meeting's frozen agenda as a printable page",
    operationId: 'getAgendaPage',
  })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @Header('Content-Type', HTML)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The frozen agenda as a printable page (Danish)' })
  async agenda(
    @Param('meetingId', meetingId) id: string,
    @Query() query: ReadAfterDto,
    @Req() request: AuthenticatedRequest,
  ) {
    const facts = await this.facts(id, query.waitForPosition);
    const labels = await this.labels.forMeetings([facts]);
    await this.logNamesShown(request, 'GET /meetings/{meetingId}/agenda.html', id, facts);
    return renderAgendaPage(facts, labels, this.today());
  }

  @Get('meetings/:meetingId/minutes.html')
  @ApiOperation({
    summary: "Get a meeting's minutes as a printable page",
    operationId: 'getMinutesPage',
  })
  @Allow('coordinator', 'caseworker', 'team-leader', 'system')
  @Header('Content-Type', HTML)
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'The minutes as a printable page (Danish); a draft until approved',
  })
  async minutes(
    @Param('meetingId', meetingId) id: string,
    @Query() query: ReadAfterDto,
    @Req() request: AuthenticatedRequest,
  ) {
    const facts = await this.facts(id, query.waitForPosition);
    const labels = await this.labels.forMeetings([facts]);
    await this.logNamesShown(request, 'GET /meetings/{meetingId}/minutes.html', id, facts);
    return renderMinutesPage(facts, labels, this.today());
  }

  /**
   * The printed pages name the families and young people on the agenda: a read of their data,
   * logged like any other (the JSON API shows only ids). The meeting is the purpose.
   */
  private async logNamesShown(
    request: AuthenticatedRequest,
    action: string,
    id: string,
    facts: MeetingFacts,
  ): Promise<void> {
    const items = facts.agenda?.items ?? [];
    const principal = request.principal;
    if (!principal || items.length === 0) return;
    const { purpose } = statedPurpose(request, false);
    await this.accessLog.append({
      at: this.clock.now(),
      actor: principal.subject,
      roles: principal.roles,
      action,
      resourceKind: 'meeting',
      resourceId: id,
      caseId: null,
      personIds: [...new Set(items.flatMap((item) => (item.personId ? [item.personId] : [])))],
      familyIds: [...new Set(items.flatMap((item) => (item.familyId ? [item.familyId] : [])))],
      purpose: purpose ?? 'coordination meeting',
      outcome: 'granted',
      basis: 'meeting',
    });
  }

  @Get('families/:familyId/minutes-extract.html')
  @ApiOperation({
    summary: "Get a family's extract of approved minutes as a printable page",
    operationId: 'getFamilyMinutesExtractPage',
  })
  @Allow('coordinator', 'caseworker', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @Header('Content-Type', HTML)
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: "What the family receives: the approved minutes' items about it only (Danish)",
  })
  async familyExtract(
    @Param('familyId', recordIdPipe('FAMILY.NOT_FOUND', 'No family with this id')) id: string,
    @Query() query: ReadAfterDto,
  ) {
    await this.meetings.catchUp(query.waitForPosition);
    const extracts = await this.meetings.familyExtract(id);
    if (extracts.length === 0) {
      throw new NotFoundException({
        code: 'FAMILY.NO_MINUTES',
        message: 'No approved minutes concern this family',
      });
    }
    const labels = await this.labels.forContent({
      departmentIds: [],
      items: extracts.flatMap((extract) => extract.items.map((entry) => entry.item)),
      agreements: extracts.flatMap((extract) => extract.items.flatMap((entry) => entry.agreements)),
      caseworkerIds: [],
    });
    const familyLabel = labels.family(id) ?? 'Familien';
    return renderFamilyExtractPage(extracts, familyLabel, labels, this.today());
  }
}
