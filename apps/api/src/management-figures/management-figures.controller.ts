import { BadRequestException, Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { monthsBetween, type ManagementFigures } from './management-figures';
import { managementFiguresCsv } from './management-figures.csv';
import { MAX_MONTHS, ManagementFiguresQueryDto } from './management-figures.dto';
import { ManagementFiguresQueries } from './management-figures.queries';
import { Allow } from '../access/access-rules';

const DESCRIPTION = `Per department and Danish calendar month (Europe/Copenhagen; a month ends at the first instant of the next):
- inquiries: received in the month; acknowledgedInTime = first acknowledgement or answer within the configured hours (INQUIRY_ACK_HOURS) of receipt.
- decisions: applications whose FIRST decision falls in the month; withinDeadline = the decision's Danish date is on or before the published deadline.
- processingTimes, per case type of those decisions: publishedDays = deadline minus application date in days (the median when it varied); medianDays and p90Days of (decision's Danish date minus application date), by percentile_cont (linear interpolation between the nearest values).
- complaints: received in the month; openCasesAtMonthEnd = cases opened by and not closed at the month's end; per100OpenCases (two decimals).
- appeals: applications whose first appeals-board ruling falls in the month; changedOrSentBack = ruled 'changed' or 'sent-back'.
- caseload: open cases held per caseworker at the month's end (caseworkers holding some); min, median, p90 (percentile_cont), max.
- supervision: the current review of each sampled case, by the month it was given; yes/no/not-relevant per question.
Percentages have one decimal and are null when there is nothing to count; days and caseload medians one decimal.`;

/** The figures management asks for: deadline compliance, processing times, complaints, caseloads. */
@ApiTags('management-figures')
@Controller()
export class ManagementFiguresController {
  constructor(private readonly queries: ManagementFiguresQueries) {}

  private async load(query: ManagementFiguresQueryDto): Promise<ManagementFigures> {
    const months = monthsBetween(query.fromMonth, query.toMonth).length;
    if (months === 0 || months > MAX_MONTHS) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'Some fields are missing or invalid',
        errors: [
          {
            field: 'toMonth',
            reason: `toMonth must be fromMonth or later, at most ${MAX_MONTHS} months in all`,
          },
        ],
      });
    }
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.figures(query.fromMonth, query.toMonth, query.departmentId);
  }

  @Get('management-figures')
  @ApiOperation({
    summary: 'Get management figures per department and month',
    operationId: 'getManagementFigures',
  })
  @Allow('team-leader', 'system')
  @ApiOkResponse({ description: DESCRIPTION })
  figures(@Query() query: ManagementFiguresQueryDto): Promise<ManagementFigures> {
    return this.load(query);
  }

  @Get('management-figures.csv')
  @ApiOperation({
    summary: 'Get management figures per department and month as CSV',
    operationId: 'getManagementFiguresCsv',
  })
  @Allow('team-leader', 'system')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The same figures in long format: department,month,figure,case_type,value',
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async csv(
    @Query() query: ManagementFiguresQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const figures = await this.load(query);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="management-figures-${query.fromMonth}-${query.toMonth}.csv"`,
    );
    return managementFiguresCsv(figures);
  }
}
