import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { parseCpr, type Cpr } from '@tovholder/domain/shared/cpr';
import { textMayContainCpr } from '@tovholder/domain/shared/free-text';
import { DataSource } from 'typeorm';
import { AccessLog } from '../access/access-log';
import { statedPurpose } from '../access/access-request';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { NoIdempotencyRecord } from '../http/idempotency/no-idempotency-record';
import { CLOCK, type Clock } from '../shared/clock';
import { PersonEntity } from './person.entity';
import { Allow, Scoped } from '../access/access-rules';
import {
  DigitalPostDto,
  ErasePersonDto,
  LookupPersonDto,
  PersonDto,
  RegisterPersonDto,
} from './person.dto';
import { PersonRegistry, type PersonRecord } from './person-registry';

const notFound = () =>
  new NotFoundException({ code: 'PERSON.NOT_FOUND', message: 'No person with this id' });

const badField = (field: string, reason: string) =>
  new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: 'Some fields are missing or invalid',
    errors: [{ field, reason }],
  });

const toDto = (person: PersonRecord): PersonDto =>
  person.erased
    ? {
        personId: person.personId,
        birthDate: person.birthDate,
        exemptFromDigitalPost: person.exemptFromDigitalPost,
        erased: true,
        erasedAt: person.erasedAt.toISOString(),
        erasedBy: person.erasedBy,
        erasureReason: person.erasureReason,
      }
    : {
        personId: person.personId,
        birthDate: person.birthDate,
        name: person.name,
        exemptFromDigitalPost: person.exemptFromDigitalPost,
        erased: false,
      };

/**
 * The person registry. Its answers carry names, so none of its routes keeps an idempotency
 * record (the stored answer would be a name in plain text); each is idempotent by itself: a
 * repeated registration gets 409 PERSON.ALREADY_REGISTERED with the personId, a repeated
 * erasure the same answer.
 */
@ApiTags('persons')
@Controller('persons')
@NoIdempotencyRecord()
export class PersonsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PersonRegistry,
    private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A 400 that says what is wrong with the number, never the number. */
  private validCpr(text: string): Cpr {
    const result = parseCpr(text, { today: copenhagenDateOf(this.clock.now()) });
    if (result.ok) return result.value;
    throw badField('cpr', `${result.reason.code}: ${result.reason.message}`);
  }

  @Post()
  @ApiOperation({ summary: 'Register a person by CPR number', operationId: 'registerPerson' })
  @Allow('caseworker', 'youth-unit', 'admin', 'system')
  @ApiCreatedResponse({ type: PersonDto })
  @ApiBadRequestResponse({
    description: 'cpr: FORMAT, DATE or FUTURE_BIRTH_DATE (modulus 11 is never a reason)',
  })
  @ApiConflictResponse({ description: 'PERSON.ALREADY_REGISTERED, with details.personId' })
  async register(@Body() body: RegisterPersonDto): Promise<PersonDto> {
    const cpr = this.validCpr(body.cpr);
    const result = await this.registry.register(
      cpr,
      body.name,
      body.exemptFromDigitalPost ?? false,
      this.clock.now(),
    );
    if (result.kind === 'already-registered') {
      throw new ConflictException({
        code: 'PERSON.ALREADY_REGISTERED',
        message: 'A person with this CPR number is registered already',
        ...(result.personId ? { details: { personId: result.personId } } : {}),
      });
    }
    return toDto(result.person);
  }

  @Post('lookup')
  @ApiOperation({ summary: 'Look up a person by CPR number', operationId: 'lookUpPerson' })
  @Allow('caseworker', 'youth-unit', 'admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ type: PersonDto })
  @ApiNotFoundResponse({ description: 'No person with this CPR number (or they were erased)' })
  @ApiHeader({
    name: 'X-Purpose',
    required: false,
    description: 'Why (logged); required but for the system actor',
  })
  async lookup(
    @Body() body: LookupPersonDto,
    @Req() request: AuthenticatedRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PersonDto> {
    const cpr = this.validCpr(body.cpr);
    // A search by CPR number is a read of whoever it finds: logged like any other, never the number.
    const { purpose, problem } = statedPurpose(request, !principal.roles.includes('system'));
    const person = problem ? null : await this.registry.findByCpr(cpr);
    await this.accessLog.append({
      at: this.clock.now(),
      actor: principal.subject,
      roles: principal.roles,
      action: 'POST /persons/lookup',
      resourceKind: 'person',
      resourceId: person?.personId ?? null,
      caseId: null,
      personIds: person ? [person.personId] : [],
      familyIds: [],
      purpose,
      outcome: problem ? 'refused' : person ? 'granted' : 'not-found',
      basis: problem ? 'purpose' : null,
    });
    if (problem) throw problem;
    if (!person)
      throw new NotFoundException({
        code: 'PERSON.NOT_FOUND',
        message: 'No person with this CPR number',
      });
    return toDto(person);
  }

  @Get(':personId')
  @ApiOperation({ summary: 'Get a person', operationId: 'getPerson' })
  @Allow('caseworker', 'youth-unit', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({ type: PersonDto })
  async get(
    @Param('personId', new ParseUUIDPipe({ exceptionFactory: notFound })) personId: string,
  ): Promise<PersonDto> {
    const person = await this.registry.find(personId);
    if (!person) throw notFound();
    return toDto(person);
  }

  /** Digital Post exemption changes; applications snapshot it when they are received. */
  @Put(':personId/digital-post')
  @ApiOperation({
    summary: 'Set whether a person is exempt from Digital Post',
    operationId: 'setDigitalPostExemption',
  })
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({ type: PersonDto })
  @ApiConflictResponse({ description: 'PERSON.ERASED' })
  async setDigitalPost(
    @Param('personId', new ParseUUIDPipe({ exceptionFactory: notFound })) personId: string,
    @Body() body: DigitalPostDto,
  ): Promise<PersonDto> {
    const person = await this.registry.find(personId);
    if (!person) throw notFound();
    if (person.erased) {
      throw new ConflictException({ code: 'PERSON.ERASED', message: 'The person was erased' });
    }
    await this.dataSource.manager.update(
      PersonEntity,
      { personId },
      { exemptFromDigitalPost: body.exempt },
    );
    return this.get(personId);
  }

  /**
   * GDPR erasure, where the law allows it: the person's key, CPR search hash and ciphertexts are
   * deleted, so their CPR number and name cannot be recovered; events are untouched (they only
   * hold the id) and read models show the person as erased. A repeated erasure answers 200 with
   * the first erasure's record (its reason and eraser are kept, not overwritten).
   */
  @Post(':personId/erasure')
  @ApiOperation({ summary: "Erase a person's CPR number and name", operationId: 'erasePerson' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ type: PersonDto, description: 'The person as erased' })
  @ApiBadRequestResponse({
    description: 'reason missing, too long, or containing the CPR number or name',
  })
  @ApiNotFoundResponse({ description: 'PERSON.NOT_FOUND' })
  async erase(
    @Param('personId', new ParseUUIDPipe({ exceptionFactory: notFound })) personId: string,
    @Body() body: ErasePersonDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PersonDto> {
    const reason = body.reason.trim();
    if (reason === '') throw badField('reason', 'reason must not be empty');
    if (textMayContainCpr(reason)) {
      throw badField('reason', 'reason must not contain a CPR number');
    }
    const result = await this.registry.erase(personId, {
      reason,
      erasedBy: principal.subject,
      at: this.clock.now(),
    });
    switch (result.kind) {
      case 'not-found':
        throw notFound();
      case 'reason-names-person':
        throw badField('reason', "reason must not contain the person's name or CPR number");
      case 'erased':
        return toDto(result.person);
    }
  }
}
