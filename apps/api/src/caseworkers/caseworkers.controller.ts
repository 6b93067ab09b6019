import {
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { requireDepartment } from '../departments/departments';
import { requestMetadata } from '../http/request-metadata';
import { CLOCK, type Clock } from '../shared/clock';
import type { CommandOutcome } from '../shared/command-execution';
import { CaseworkerNameEntity } from './caseworker-name.entity';
import {
  CaseworkerCreatedDto,
  DeactivateCaseworkerDto,
  RegisterCaseworkerDto,
} from './caseworker.dto';
import { decideOnCaseworker } from '../shared/decide.command';
import { Allow } from '../access/access-rules';

export const caseworkerIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new NotFoundException({ code: 'CASEWORKER.NOT_FOUND', message: 'No caseworker with this id' }),
});

@ApiTags('caseworkers')
@Controller('caseworkers')
export class CaseworkersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a caseworker in a department',
    operationId: 'registerCaseworker',
  })
  @Allow('admin', 'system')
  @ApiCreatedResponse({ type: CaseworkerCreatedDto })
  async register(
    @Body() body: RegisterCaseworkerDto,
    @Req() request: Request,
  ): Promise<CaseworkerCreatedDto> {
    await requireDepartment(this.dataSource.manager, body.departmentId);
    const caseworkerId = randomUUID();
    await this.dataSource.manager.insert(CaseworkerNameEntity, { caseworkerId, name: body.name });
    const outcome = await this.commands.execute(
      decideOnCaseworker(
        {
          type: 'RegisterCaseworker',
          caseworkerId,
          departmentId: body.departmentId,
          now: this.clock.now(),
        },
        requestMetadata(request),
      ),
    );
    return { caseworkerId, position: outcome.position };
  }

  @Post(':caseworkerId/deactivate')
  @ApiOperation({ summary: 'Deactivate a caseworker', operationId: 'deactivateCaseworker' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'The caseworker can no longer take cases or families; families they hold are flagged',
  })
  deactivate(
    @Param('caseworkerId', caseworkerIdPipe) caseworkerId: string,
    @Body() body: DeactivateCaseworkerDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.execute(
      decideOnCaseworker(
        { type: 'DeactivateCaseworker', caseworkerId, reason: body.reason, now: this.clock.now() },
        requestMetadata(request),
      ),
    );
  }

  @Post(':caseworkerId/reactivate')
  @ApiOperation({ summary: 'Reactivate a caseworker', operationId: 'reactivateCaseworker' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The caseworker is back' })
  reactivate(
    @Param('caseworkerId', caseworkerIdPipe) caseworkerId: string,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.execute(
      decideOnCaseworker(
        { type: 'ReactivateCaseworker', caseworkerId, now: this.clock.now() },
        requestMetadata(request),
      ),
    );
  }
}
