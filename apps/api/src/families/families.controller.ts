import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requestMetadata } from '../http/request-metadata';
import { requirePerson } from '../persons/persons';
import { CLOCK, type Clock } from '../shared/clock';
import type { CommandOutcome } from '../shared/command-execution';
import { decideOnFamily } from '../shared/decide.command';
import type { FamilyCommand } from '@tovholder/domain';
import {
  AddFamilyMemberDto,
  AssignPrimaryContactDto,
  FamilyCreatedDto,
  GiveConsentDto,
  HandOverPrimaryContactDto,
  RecordToldDto,
  ReleasePrimaryContactDto,
  WithdrawConsentDto,
} from './family.dto';
import { Allow, Scoped } from '../access/access-rules';

export const familyIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new NotFoundException({ code: 'FAMILY.NOT_FOUND', message: 'No family with this id' }),
});

@ApiTags('families')
@Controller('families')
export class FamiliesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(command: FamilyCommand, request: Request): Promise<CommandOutcome> {
    return this.commands.execute(decideOnFamily(command, requestMetadata(request)));
  }

  @Post()
  @ApiOperation({ summary: 'Register a family', operationId: 'registerFamily' })
  @Allow('caseworker', 'coordinator', 'system')
  @ApiCreatedResponse({ type: FamilyCreatedDto })
  async register(@Req() request: Request): Promise<FamilyCreatedDto> {
    const familyId = randomUUID();
    const outcome = await this.run(
      { type: 'RegisterFamily', familyId, now: this.clock.now() },
      request,
    );
    return { familyId, position: outcome.position };
  }

  @Post(':familyId/members')
  @ApiOperation({ summary: 'Add a person to a family', operationId: 'addFamilyMember' })
  @Allow('caseworker', 'coordinator', 'system')
  @ApiCreatedResponse({ description: 'The person is a member of the family' })
  async addMember(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: AddFamilyMemberDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    await requirePerson(this.dataSource.manager, body.personId);
    return this.run(
      {
        type: 'AddFamilyMember',
        familyId,
        personId: body.personId,
        role: body.role,
        now: this.clock.now(),
      },
      request,
    );
  }

  @Delete(':familyId/members/:personId')
  @ApiOperation({ summary: 'Remove a person from a family', operationId: 'removeFamilyMember' })
  @Allow('caseworker', 'coordinator', 'system')
  @ApiOkResponse({ description: 'The person is no longer a member' })
  removeMember(
    @Param('familyId', familyIdPipe) familyId: string,
    @Param(
      'personId',
      new ParseUUIDPipe({
        exceptionFactory: () =>
          new NotFoundException({ code: 'FAMILY.NOT_A_MEMBER', message: 'Not a member' }),
      }),
    )
    personId: string,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(
      { type: 'RemoveFamilyMember', familyId, personId, now: this.clock.now() },
      request,
    );
  }

  @Put(':familyId/primary-contact')
  @ApiOperation({
    summary: "Assign a family's primary contact",
    operationId: 'assignPrimaryContact',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @ApiOkResponse({ description: 'The caseworker is the family’s primary contact' })
  @ApiConflictResponse({
    description: 'FAMILY.PRIMARY_CONTACT_TAKEN: details.primaryContact names the holder',
  })
  async assignPrimaryContact(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: AssignPrimaryContactDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    const caseworker = await loadCaseworkerFacts(this.store, body.caseworkerId);
    return this.run(
      { type: 'AssignPrimaryContact', familyId, caseworker, now: this.clock.now() },
      request,
    );
  }

  @Post(':familyId/primary-contact/handover')
  @ApiOperation({
    summary: "Hand a family's primary contact role over to another caseworker",
    operationId: 'handOverPrimaryContact',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Handed over; record when the family is told (…/told)' })
  async handOver(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: HandOverPrimaryContactDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    const to = await loadCaseworkerFacts(this.store, body.toCaseworkerId);
    return this.run(
      { type: 'HandOverPrimaryContact', familyId, to, reason: body.reason, now: this.clock.now() },
      request,
    );
  }

  @Post(':familyId/primary-contact/release')
  @ApiOperation({
    summary: "Release a family's primary contact",
    operationId: 'releasePrimaryContact',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The family has no primary contact now' })
  release(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: ReleasePrimaryContactDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(
      { type: 'ReleasePrimaryContact', familyId, reason: body.reason, now: this.clock.now() },
      request,
    );
  }

  @Post(':familyId/primary-contact/told')
  @ApiOperation({
    summary: 'Record that a family was told who its primary contact is',
    operationId: 'recordPrimaryContactTold',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The family has been told who its primary contact is' })
  told(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: RecordToldDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    const now = this.clock.now();
    return this.run(
      {
        type: 'RecordFamilyTold',
        familyId,
        channel: body.channel,
        toldAt: body.toldAt ?? now,
        now,
      },
      request,
    );
  }

  @Post(':familyId/consents')
  @ApiOperation({
    summary: "Record a family's consent to share case details across departments",
    operationId: 'giveConsent',
  })
  @Allow('caseworker', 'coordinator', 'system')
  // The department whose case details are to be shared records the family's consent, so no one
  // can open another department's cases to themselves by making themselves primary contact.
  @Scoped({ kind: 'department', body: 'departmentIds' })
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'The family agrees (or the law allows) that these departments’ case details are shown to its primary contact',
  })
  giveConsent(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: GiveConsentDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(
      {
        type: 'GiveConsent',
        familyId,
        departmentIds: body.departmentIds,
        basis: body.basis,
        reference: body.reference ?? null,
        now: this.clock.now(),
      },
      request,
    );
  }

  @Post(':familyId/consents/withdrawal')
  @ApiOperation({
    summary: "Withdraw a family's consent to share case details",
    operationId: 'withdrawConsent',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'These departments’ case details are no longer shared' })
  @ApiConflictResponse({ description: 'FAMILY.NO_CONSENT: details.departmentIds were not shared' })
  withdrawConsent(
    @Param('familyId', familyIdPipe) familyId: string,
    @Body() body: WithdrawConsentDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(
      {
        type: 'WithdrawConsent',
        familyId,
        departmentIds: body.departmentIds,
        now: this.clock.now(),
      },
      request,
    );
  }
}
