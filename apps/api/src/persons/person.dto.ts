import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { SHORT_TEXT_MAX_LENGTH } from '@tovholder/domain/shared/free-text';

export class RegisterPersonDto {
  @ApiProperty({
    example: 'DDMMYY-SSSS',
    description: 'CPR number, DDMMYY-SSSS or DDMMYYSSSS (kept in the registry only)',
  })
  @IsString({ message: 'cpr must be a string' })
  cpr!: string;

  @ApiProperty({ example: 'Mette Hansen' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'Exempt from Digital Post (gets physical letters)' })
  @IsOptional()
  @IsBoolean()
  exemptFromDigitalPost?: boolean;
}

export class DigitalPostDto {
  @ApiProperty({ description: 'Exempt from Digital Post (gets physical letters)' })
  @IsBoolean()
  exempt!: boolean;
}

export class LookupPersonDto {
  @ApiProperty({
    example: 'DDMMYY-SSSS',
    description: 'Sent in the body so it never lands in URLs or access logs',
  })
  @IsString({ message: 'cpr must be a string' })
  cpr!: string;
}

export class ErasePersonDto {
  @ApiProperty({
    example: 'Registreret ved en fejl; ingen sag har brug for oplysningerne',
    description:
      'Why the law allows the erasure. Kept with the erased person, so it may not contain their CPR number or name',
  })
  @IsString()
  @Length(1, SHORT_TEXT_MAX_LENGTH)
  reason!: string;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' })
  personId!: string;

  @ApiProperty({ example: '1990-01-01' })
  birthDate!: string;

  @ApiPropertyOptional({ example: 'Mette Hansen', description: 'Absent once erased' })
  name?: string;

  @ApiProperty()
  exemptFromDigitalPost!: boolean;

  @ApiProperty({ description: 'Erased: CPR number and name are gone for good' })
  erased!: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only when erased' })
  erasedAt?: string;

  @ApiPropertyOptional({ description: "The eraser's token subject; only when erased" })
  erasedBy?: string;

  @ApiPropertyOptional({ description: 'Only when erased' })
  erasureReason?: string;
}
