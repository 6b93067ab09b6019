import { ApiProperty } from '@nestjs/swagger';
import {
  IsString,
  Length,
  Matches,
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** What a source key can name: the resources an integration refers to by its own keys. */
export const SOURCE_KEY_KINDS = ['case', 'person', 'caseworker', 'family'] as const;
export type SourceKeyKind = (typeof SOURCE_KEY_KINDS)[number];

export const SOURCE_SYSTEM_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
export const SOURCE_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$/;

/**
 * Ten digits, optionally split 6-4 by a dash, space or slash: the shape of a CPR number. Such a
 * key is refused whether or not its date is real, so a CPR number can never become a lookup key
 * that lands in URLs, access logs and the source-key table.
 */
export const CPR_SHAPED = /^\D*\d{6}[\s/-]?\d{4}\D*$/;

export function looksLikeCpr(key: string): boolean {
  return CPR_SHAPED.test(key.trim());
}

@ValidatorConstraint({ name: 'notCpr' })
class NotCprConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value !== 'string' || !looksLikeCpr(value);
  }
  defaultMessage(): string {
    return 'key must not be a CPR number';
  }
}

/** A resource's key in the municipality's own case system, e.g. DUBU 2019-004711. */
export class SourceKeyDto {
  @ApiProperty({ example: 'DUBU', description: 'The source system (DUBU, Nexus, Momentum, …)' })
  @IsString()
  @Matches(SOURCE_SYSTEM_PATTERN, { message: 'system must be 1-40 letters, digits, - or _' })
  system!: string;

  @ApiProperty({ example: '2019-004711', description: 'The key there; never a CPR number' })
  @IsString()
  @Length(1, 100)
  @Matches(SOURCE_KEY_PATTERN, { message: 'key must be 1-100 letters, digits, _ . : / or -' })
  @Validate(NotCprConstraint)
  key!: string;
}

export interface SourceKey {
  readonly system: string;
  readonly key: string;
}

export function formatSourceKey(source: SourceKey): string {
  return `${source.system}/${source.key}`;
}
