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
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { copenhagenDateOf } from '@tovholder/domain/shared/danish-calendar';
import { parseCpr, type Cpr } from '@tovholder/domain/shared/cpr';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../shared/clock';
import { PersonEntity } from './person.entity';
import { DigitalPostDto, LookupPersonDto, PersonDto, RegisterPersonDto } from './person.dto';
import { Allow, Scoped } from '../access/access-rules';

const notFound = () =>
  new NotFoundException({ code: 'PERSON.NOT_FOUND', message: 'No person with this id' });

const toDto = (person: PersonEntity): PersonDto => ({
  personId: person.personId,
  birthDate: person.birthDate,
  name: person.name,
  exemptFromDigitalPost: person.exemptFromDigitalPost,
});

@ApiTags('persons')
@Controller('persons')
export class PersonsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A 400 that says what is wrong with the number, never the number. */
  private validCpr(text: string): Cpr {
    const result = parseCpr(text, { today: copenhagenDateOf(this.clock.now()) });
    if (result.ok) return result.value;
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are missing or invalid',
      errors: [{ field: 'cpr', reason: `${result.reason.code}: ${result.reason.message}` }],
    });
  }

  @Post()
  @Allow('caseworker', 'youth-unit', 'admin', 'system')
  @ApiCreatedResponse({ type: PersonDto })
  @ApiBadRequestResponse({
    description: 'cpr: FORMAT, DATE or FUTURE_BIRTH_DATE (modulus 11 is never a reason)',
  })
  async register(@Body() body: RegisterPersonDto): Promise<PersonDto> {
    const cpr = this.validCpr(body.cpr);
    const existing = await this.dataSource.manager.findOneBy(PersonEntity, { cpr: cpr.normalized });
    if (existing) {
      throw new ConflictException({
        code: 'PERSON.ALREADY_REGISTERED',
        message: 'A person with this CPR number is registered already',
        details: { personId: existing.personId },
      });
    }
    const person: PersonEntity = {
      personId: randomUUID(),
      cpr: cpr.normalized,
      name: body.name,
      birthDate: cpr.birthDate,
      exemptFromDigitalPost: body.exemptFromDigitalPost ?? false,
      createdAt: this.clock.now(),
    };
    try {
      await this.dataSource.manager.insert(PersonEntity, person);
    } catch (error) {
      // Registered at the same moment by another request.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException({
          code: 'PERSON.ALREADY_REGISTERED',
          message: 'A person with this CPR number is registered already',
        });
      }
      throw error;
    }
    return toDto(person);
  }

  @Post('lookup')
  @Allow('caseworker', 'youth-unit', 'admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ type: PersonDto })
  async lookup(@Body() body: LookupPersonDto): Promise<PersonDto> {
    const cpr = this.validCpr(body.cpr);
    const person = await this.dataSource.manager.findOneBy(PersonEntity, { cpr: cpr.normalized });
    if (!person)
      throw new NotFoundException({
        code: 'PERSON.NOT_FOUND',
        message: 'No person with this CPR number',
      });
    return toDto(person);
  }

  @Get(':personId')
  @Allow('caseworker', 'youth-unit', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({ type: PersonDto })
  async get(
    @Param('personId', new ParseUUIDPipe({ exceptionFactory: notFound })) personId: string,
  ): Promise<PersonDto> {
    const person = await this.dataSource.manager.findOneBy(PersonEntity, { personId });
    if (!person) throw notFound();
    return toDto(person);
  }

  /** Digital Post exemption changes; applications snapshot it when they are received. */
  @Put(':personId/digital-post')
  @Allow('caseworker', 'system')
  @Scoped({ kind: 'person', param: 'personId' })
  @ApiOkResponse({ type: PersonDto })
  async setDigitalPost(
    @Param('personId', new ParseUUIDPipe({ exceptionFactory: notFound })) personId: string,
    @Body() body: DigitalPostDto,
  ): Promise<PersonDto> {
    const result = await this.dataSource.manager.update(
      PersonEntity,
      { personId },
      { exemptFromDigitalPost: body.exempt },
    );
    if (!result.affected) throw notFound();
    return this.get(personId);
  }
}
