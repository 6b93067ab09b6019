import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  CASE_TYPE_PATTERN,
  ImportProcessingDeadlinesDto,
  PutProcessingDeadlineDto,
} from './processing-deadline.dto';
import { ProcessingDeadlineEntity } from './processing-deadline.entity';
import { upsertProcessingDeadlines } from './processing-deadlines';
import { Allow } from '../access/access-rules';

/** The published processing deadlines: what the municipality promises per case type. */
@ApiTags('applications')
@Controller('processing-deadlines')
export class ProcessingDeadlinesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'List the published processing deadlines',
    operationId: 'listProcessingDeadlines',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'auditor', 'admin', 'system')
  @ApiOkResponse({ type: [ProcessingDeadlineEntity] })
  list(): Promise<ProcessingDeadlineEntity[]> {
    return this.dataSource.manager.find(ProcessingDeadlineEntity, { order: { caseType: 'ASC' } });
  }

  /** Applications received from now on get this deadline; earlier ones keep theirs. */
  @Put(':caseType')
  @ApiOperation({
    summary: 'Set the published processing deadline of a case type',
    operationId: 'setProcessingDeadline',
  })
  @Allow('admin', 'system')
  @ApiOkResponse({ type: ProcessingDeadlineEntity })
  async put(
    @Param('caseType') caseType: string,
    @Body() body: PutProcessingDeadlineDto,
  ): Promise<ProcessingDeadlineEntity> {
    if (!CASE_TYPE_PATTERN.test(caseType)) {
      throw new NotFoundException({
        code: 'PROCESSING_DEADLINE.NOT_FOUND',
        message: "Not a case type: '*' or lower-case letters, digits and -",
      });
    }
    const deadline = { caseType, amount: body.amount, unit: body.unit };
    await upsertProcessingDeadlines(this.dataSource, [deadline]);
    return deadline;
  }

  @Post('import')
  @ApiOperation({
    summary: 'Import a list of processing deadlines',
    operationId: 'importProcessingDeadlines',
  })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ type: [ProcessingDeadlineEntity] })
  async import(@Body() body: ImportProcessingDeadlinesDto): Promise<ProcessingDeadlineEntity[]> {
    await upsertProcessingDeadlines(this.dataSource, body.deadlines);
    return this.list();
  }
}
