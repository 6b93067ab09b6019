import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class StartImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'All or nothing: nothing is written if any record is refused',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  strict?: 'true' | 'false';
}

export class ImportStartedDto {
  @ApiProperty({ format: 'uuid' })
  importId!: string;

  @ApiProperty({ example: '/imports/0b6c…' })
  href!: string;
}

export class ImportProblemDto {
  @ApiProperty({ example: 412 })
  line!: number;

  @ApiProperty({ example: 'case' })
  kind!: string;

  @ApiProperty({ example: 'caseworkers.1.from' })
  field!: string;

  @ApiProperty({ example: 'must not be in the future' })
  reason!: string;
}

export class ImportReportDto {
  @ApiProperty()
  lines!: number;

  @ApiProperty({ description: 'Records imported (or found imported already)' })
  imported!: number;

  @ApiProperty({ description: 'Records refused (listed in problems)' })
  refused!: number;

  @ApiProperty({ description: 'Events the imported records stand for' })
  events!: number;

  @ApiProperty({ description: 'Events this import added to the log (0 when run again)' })
  written!: number;

  @ApiProperty({ description: 'Strict import with refused records: nothing was written' })
  abandoned!: boolean;

  @ApiProperty({ type: [ImportProblemDto], description: 'Never a value from the file' })
  problems!: readonly ImportProblemDto[];
}

export class ImportStatusDto {
  @ApiProperty({ format: 'uuid' })
  importId!: string;

  @ApiProperty({ enum: ['running', 'done', 'failed', 'interrupted'] })
  status!: 'running' | 'done' | 'failed' | 'interrupted';

  @ApiProperty()
  strict!: boolean;

  @ApiProperty()
  startedAt!: string;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ description: 'Lines read so far' })
  lines!: number;

  @ApiProperty({ description: 'Records refused so far' })
  refused!: number;

  @ApiPropertyOptional({ type: ImportReportDto, description: 'When the import has ended' })
  report?: ImportReportDto;
}
