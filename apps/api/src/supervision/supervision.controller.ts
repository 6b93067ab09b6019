import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SUPERVISION_ANSWERS, SUPERVISION_QUESTIONS } from '@tovholder/domain';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner } from '../shared/command-runner';
import { drawnCaseIds, drawSample, recordReview } from './supervision.commands';
import { newRecordId } from '../http/idempotency';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { DrawSampleDto, RecordReviewDto } from './supervision.dto';
import { SupervisionQueries, type SampleView } from './supervision.queries';
import { Allow } from '../access/access-rules';

const NOT_FOUND = { code: 'SUPERVISION.NOT_FOUND', message: 'No sample with this id' } as const;
const sampleIdPipe = recordIdPipe(NOT_FOUND.code, NOT_FOUND.message);

/**
 * Management supervision (ledelsestilsyn): a reproducible sample of a team's open cases,
 * weighted towards cases with flags, and a review of each against the question guide.
 */
@ApiTags('supervision')
@Controller('supervision')
export class SupervisionController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly casework: CaseworkQueries,
    private readonly queries: SupervisionQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('questions')
  @ApiOperation({
    summary: 'Get the supervision question guide',
    operationId: 'getSupervisionQuestions',
  })
  @Allow('team-leader', 'system')
  @ApiOkResponse({ description: 'The question guide for a review, and the answers allowed' })
  questions() {
    return { questions: SUPERVISION_QUESTIONS, answers: SUPERVISION_ANSWERS };
  }

  @Post('samples')
  @ApiOperation({
    summary: "Draw a supervision sample of a department's open cases",
    operationId: 'drawSupervisionSample',
  })
  @Allow('team-leader', 'system')
  @ApiCreatedResponse({
    description:
      "{ sampleId, seed, caseIds, position }: the department's open cases drawn with weight 1 + today's flags; `waitForPosition` makes the draw see cases just opened",
  })
  async draw(
    @Body() body: DrawSampleDto,
    @Query() query: ReadAfterDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { sampleId: string; seed: string; caseIds: readonly string[] }> {
    const sampleId = newRecordId();
    const seed = body.seed ?? newRecordId();
    const candidates = {
      casework: this.casework,
      queries: this.queries,
      waitForPosition: query.waitForPosition,
    };
    const outcome = await this.commands.run(drawSample(sampleId, seed, body, candidates), request);
    const caseIds = await drawnCaseIds(this.store, sampleId);
    return { sampleId, seed, caseIds, ...outcome };
  }

  @Post('samples/:sampleId/reviews')
  @ApiOperation({
    summary: 'Record the review of a sampled case',
    operationId: 'recordSupervisionReview',
  })
  @Allow('team-leader', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Recorded; a later review of the same case replaces it' })
  async review(
    @Param('sampleId', sampleIdPipe) id: string,
    @Body() body: RecordReviewDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(recordReview(id, body), request);
  }

  @Get('samples/:sampleId')
  @ApiOperation({
    summary: 'Get a supervision sample with its reviews and summary',
    operationId: 'getSupervisionSample',
  })
  @Allow('team-leader', 'system')
  @ApiOkResponse({ description: 'The sample, the current review of each case, and the summary' })
  async get(
    @Param('sampleId', sampleIdPipe) id: string,
    @Query() query: ReadAfterDto,
  ): Promise<SampleView> {
    await this.queries.catchUp(query.waitForPosition);
    return (await this.queries.sample(id)) ?? Promise.reject(new NotFoundException(NOT_FOUND));
  }
}
