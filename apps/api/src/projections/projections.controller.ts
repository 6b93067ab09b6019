import {
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Inject,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import {
  listParkedEvents,
  replayParkedEvent,
  type ParkedEventEntity,
  type ReplayOutcome,
} from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { ProjectionsService, type ProjectorStatus } from './projections.service';
import { Allow } from '../access/access-rules';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Get each projector's state and lag",
    operationId: 'getProjectionStatus',
  })
  @Allow('admin', 'system')
  @ApiOkResponse({
    description: 'Each projector: state, checkpoint and how far behind the log it is',
  })
  status(): Promise<ProjectorStatus[]> {
    return this.projections.status();
  }

  @Get('parked')
  @ApiOperation({
    summary: 'List events a projector could not apply',
    operationId: 'listParkedEvents',
  })
  @Allow('admin', 'system')
  @ApiQuery({ name: 'projector', required: false })
  @ApiOkResponse({ description: 'Events a projector could not apply, with the reason' })
  parked(@Query('projector') projector?: string): Promise<ParkedEventEntity[]> {
    return listParkedEvents(this.dataSource.manager, projector);
  }

  @Post(':projector/parked/:id/replay')
  @ApiOperation({ summary: 'Replay a parked event', operationId: 'replayParkedEvent' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: "{ outcome: 'applied' } or { outcome: 'failed', reason }" })
  async replay(@Param('projector') name: string, @Param('id') id: string): Promise<ReplayOutcome> {
    const projector = this.projections.projector(name);
    if (!projector || !/^\d{1,18}$/.test(id)) {
      throw new NotFoundException({
        code: 'PARKED_EVENT.NOT_FOUND',
        message: 'No such parked event',
      });
    }
    const result = await replayParkedEvent(this.dataSource, this.store, projector, id);
    if (result.outcome === 'not_found') {
      throw new NotFoundException({
        code: 'PARKED_EVENT.NOT_FOUND',
        message: 'No such parked event',
      });
    }
    return result;
  }

  @Post(':projector/rebuild')
  @ApiOperation({
    summary: 'Start a blue/green rebuild of a projector',
    operationId: 'rebuildProjection',
  })
  @Allow('admin', 'system')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description:
      'Starts a blue/green rebuild: the live version serves until the new one has caught up and takes its place. Progress in GET /projections.',
  })
  async rebuild(@Param('projector') name: string): Promise<{ status: 'started' }> {
    const projector = this.knownProjector(name);
    if (!(await this.projections.startRebuild(projector))) {
      throw new ConflictException({
        code: 'PROJECTION.REBUILD_IN_PROGRESS',
        message: 'A rebuild of this projector is already running',
      });
    }
    return { status: 'started' };
  }

  @Delete(':projector/rebuild')
  @ApiOperation({
    summary: 'Cancel a running rebuild of a projector',
    operationId: 'cancelProjectionRebuild',
  })
  @Allow('admin', 'system')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'Cancels the rebuild this instance runs; the live version stays',
  })
  cancelRebuild(@Param('projector') name: string): { status: 'cancelling' } {
    this.knownProjector(name);
    if (!this.projections.cancelRebuild(name)) {
      throw new NotFoundException({
        code: 'PROJECTION.NO_REBUILD',
        message: 'This instance runs no rebuild of this projector',
      });
    }
    return { status: 'cancelling' };
  }

  private knownProjector(name: string) {
    const projector = this.projections.projector(name);
    if (!projector) {
      throw new NotFoundException({ code: 'PROJECTION.NOT_FOUND', message: 'No such projector' });
    }
    return projector;
  }
}
