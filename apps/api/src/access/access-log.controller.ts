import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CLOCK, type Clock } from '../shared/clock';
import { AccessLog, type AccessLogRow } from './access-log';
import { AccessLogQueryDto, CitizenReportQueryDto } from './access-log.dto';
import { Allow, Scoped } from './access-rules';

const REPORT_LIMIT = 10_000;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface CitizenReport {
  readonly personId: string;
  readonly from: string;
  readonly to: string;
  /** Every granted read of the person's data or of a family they belong to, oldest first. */
  readonly reads: {
    at: string;
    who: string;
    roles: string[];
    what: string;
    purpose: string | null;
  }[];
}

@ApiTags('access log')
@Controller('access-log')
export class AccessLogController {
  constructor(
    private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List who read whose personal data, when and why',
    operationId: 'listAccessLog',
  })
  @Allow('auditor')
  @ApiOkResponse({ description: 'Who read whose data, when and why; newest first' })
  find(@Query() query: AccessLogQueryDto): Promise<AccessLogRow[]> {
    return this.log.find(query, query.limit, query.offset);
  }

  /** Reading who looked at a person is itself a read of that person's data, so it is logged. */
  @Get('persons/:personId/report')
  @ApiOperation({
    summary: "Report who has looked at a person's data",
    operationId: 'getPersonAccessReport',
  })
  @Allow('auditor')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({ description: 'The answer to a citizen asking who has looked at their data' })
  async report(
    @Param('personId', new ParseUUIDPipe()) personId: string,
    @Query() query: CitizenReportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CitizenReport | string> {
    const to = this.clock.now();
    const from = query.from ?? new Date(to.getTime() - YEAR_MS);
    const rows = await this.log.find({ personId, from, to }, REPORT_LIMIT, 0);
    const reads = rows
      .filter((row) => row.outcome === 'granted')
      .reverse()
      .map((row) => ({
        at: row.at.toISOString(),
        who: row.actor,
        roles: [...row.roles],
        what: row.action,
        purpose: row.purpose,
      }));
    const report: CitizenReport = {
      personId,
      from: from.toISOString(),
      to: to.toISOString(),
      reads,
    };
    if (query.format === 'json') return report;
    response.type('text/plain; charset=utf-8');
    return [
      `Opslag i dine oplysninger ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}`,
      `Antal opslag: ${reads.length}`,
      '',
      ...reads.map(
        (read) =>
          `${read.at}  ${read.who} (${read.roles.join(', ')})  ${read.what}  Formål: ${read.purpose ?? '—'}`,
      ),
    ].join('\n');
  }
}
