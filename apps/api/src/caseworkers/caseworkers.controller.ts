import {
  Body,
  Controller,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { HappenedAtDto } from '../http/happened-at.dto';
import { newRecordId } from '../http/idempotency';
import type { CommandOutcome } from '../shared/command-execution';
import { CommandRunner } from '../shared/command-runner';
import {
  deactivateCaseworker,
  reactivateCaseworker,
  registerCaseworker,
} from './caseworker.commands';
import {
  CaseworkerCreatedDto,
  DeactivateCaseworkerDto,
  RegisterCaseworkerDto,
} from './caseworker.dto';
import { Allow } from '../access/access-rules';

export const caseworkerIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new NotFoundException({ code: 'CASEWORKER.NOT_FOUND', message: 'No caseworker with this id' }),
});

@ApiTags('caseworkers')
@Controller('caseworkers')
export class CaseworkersController {
  constructor(private readonly commands: CommandRunner) {}

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
    const caseworkerId = newRecordId();
    const outcome = await this.commands.run(registerCaseworker(caseworkerId, body), request);
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
    return this.commands.run(deactivateCaseworker(caseworkerId, body), request);
  }

  @Post(':caseworkerId/reactivate')
  @ApiOperation({ summary: 'Reactivate a caseworker', operationId: 'reactivateCaseworker' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The caseworker is back' })
  reactivate(
    @Param('caseworkerId', caseworkerIdPipe) caseworkerId: string,
    @Body() body: HappenedAtDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(reactivateCaseworker(caseworkerId, body), request);
  }
}
