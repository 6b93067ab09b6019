import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Allow } from '../access/access-rules';
import { SourceKeyDto, type SourceKeyKind } from './source-key';

export class SourceKeyResolvedDto {
  @ApiProperty({ enum: ['case', 'person', 'caseworker', 'family'] })
  kind!: SourceKeyKind;

  @ApiProperty({ format: 'uuid', description: "Our id: use it with the resource's own routes" })
  id!: string;

  @ApiPropertyOptional({
    example: '/cases/5b1f5d8e-0a3c-4a57-9d5b-3d8e1c2f4a10',
    description: 'Where the resource is read (its access rules and access log apply there)',
  })
  href?: string;
}

const HREF: Record<SourceKeyKind, (id: string) => string | null> = {
  case: (id) => `/cases/${id}`,
  person: (id) => `/persons/${id}`,
  family: (id) => `/families/${id}`,
  caseworker: () => null,
};

/**
 * Resolves a key of the municipality's source system (DUBU, Nexus, Momentum, …) to our id, so an
 * integration never has to keep our UUIDs. The answer is the id only; the resource itself is
 * read through its own route, where scoping and the access log apply. A key shaped like a CPR
 * number is refused (400 naming `key`) before anything is looked up.
 */
@ApiTags('source keys')
@Controller()
export class SourceKeysController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('cases/by-source/:system/:key')
  @ApiOperation({
    summary: 'Find a case by its key in a source system',
    operationId: 'findCaseBySourceKey',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({ type: SourceKeyResolvedDto })
  caseBySource(@Param() source: SourceKeyDto): Promise<SourceKeyResolvedDto> {
    return this.resolve('case', source);
  }

  @Get('persons/by-source/:system/:key')
  @ApiOperation({
    summary: 'Find a person by their key in a source system',
    operationId: 'findPersonBySourceKey',
  })
  @Allow('caseworker', 'youth-unit', 'admin', 'system')
  @ApiOkResponse({ type: SourceKeyResolvedDto })
  personBySource(@Param() source: SourceKeyDto): Promise<SourceKeyResolvedDto> {
    return this.resolve('person', source);
  }

  @Get('families/by-source/:system/:key')
  @ApiOperation({
    summary: 'Find a family by its key in a source system',
    operationId: 'findFamilyBySourceKey',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({ type: SourceKeyResolvedDto })
  familyBySource(@Param() source: SourceKeyDto): Promise<SourceKeyResolvedDto> {
    return this.resolve('family', source);
  }

  @Get('caseworkers/by-source/:system/:key')
  @ApiOperation({
    summary: 'Find a caseworker by their key in a source system',
    operationId: 'findCaseworkerBySourceKey',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'admin', 'system')
  @ApiOkResponse({ type: SourceKeyResolvedDto })
  caseworkerBySource(@Param() source: SourceKeyDto): Promise<SourceKeyResolvedDto> {
    return this.resolve('caseworker', source);
  }

  private async resolve(kind: SourceKeyKind, source: SourceKeyDto): Promise<SourceKeyResolvedDto> {
    const [row] = await this.dataSource.query<{ resource_id: string }[]>(
      'SELECT resource_id FROM source_keys WHERE kind = $1 AND system = $2 AND key = $3',
      [kind, source.system, source.key],
    );
    if (!row) {
      throw new NotFoundException({
        code: 'SOURCE_KEY.NOT_FOUND',
        message: `No ${kind} has this key in this source system`,
      });
    }
    const href = HREF[kind](row.resource_id);
    return { kind, id: row.resource_id, ...(href ? { href } : {}) };
  }
}
