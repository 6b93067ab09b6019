import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

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

export class PersonDto {
  @ApiProperty({ format: 'uuid' })
  personId!: string;

  @ApiProperty({ example: '1990-01-01' })
  birthDate!: string;

  @ApiProperty({ example: 'Mette Hansen' })
  name!: string;

  @ApiProperty()
  exemptFromDigitalPost!: boolean;
}
