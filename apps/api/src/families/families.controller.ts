import {
  Body,
  Controller,
  Delete,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { CommandOutcome } from '../shared/command-execution';
import type { FamilyCommand, FamilyEvent, FamilyState } from '@tovholder/domain';
import { newRecordId } from '../http/idempotency';
import { HappenedAtDto } from '../http/happened-at.dto';
import { refuseBody } from '../http/validation';
import { CommandRunner, type PendingCommand } from '../shared/command-runner';
import {
  addFamilyMember,
  assignPrimaryContact,
  giveConsent,
  handOverPrimaryContact,
  recordFamilyTold,
  registerFamily,
  releasePrimaryContact,
  removeFamilyMember,
  withdrawConsent,
} from './family.commands';
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
  constructor(private readonly commands: CommandRunner) {}

  private run(
    command: PendingCommand<FamilyCommand, FamilyEvent, FamilyState>,
    request: Request,
  ): Promise<CommandOutcome> {
    return this.commands.run(command, request);
  }

  @Post()
  @ApiOperation({ summary: 'Register a family', operationId: 'registerFamily' })
  @Allow('caseworker', 'coordinator', 'system')
  @ApiCreatedResponse({ type: FamilyCreatedDto })
  async register(@Body() body: HappenedAtDto, @Req() request: Request): Promise<FamilyCreatedDto> {
    const familyId = newRecordId();
    const outcome = await this.run(registerFamily(familyId, body), request);
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
    return this.run(addFamilyMember(familyId, body), request);
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
    @Query() query: HappenedAtDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    refuseBody(request.body);
    return this.run(removeFamilyMember(familyId, personId, query), request);
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
    return this.run(assignPrimaryContact(familyId, body), request);
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
    return this.run(handOverPrimaryContact(familyId, body), request);
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
    return this.run(releasePrimaryContact(familyId, body), request);
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
    return this.run(recordFamilyTold(familyId, body), request);
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
    return this.run(giveConsent(familyId, body), request);
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
    return this.run(withdrawConsent(familyId, body), request);
  }
}
