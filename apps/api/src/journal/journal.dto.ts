import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  INSECURE_SENDING_ACTIONS,
  JOURNAL_DOCUMENT_KINDS,
  JOURNAL_SUBJECT_MAX_LENGTH,
  type ContactChannel,
  type ContactDirection,
  type InsecureSendingAction,
  type JournalDocumentKind,
} from '@tovholder/domain';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ISO_DATE_PATTERN,
  isoDateMessage,
  isoDateTimeMessage,
  ToIsoDateTime,
} from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';
import { JOURNAL_NOTE_MAX_LENGTH } from './journal-notes';

// Validation messages never quote the value: a subject or a note may hold personal data.
const SUBJECT_DESCRIPTION =
  'A short, code-like heading: never personal data (no names, CPR numbers, e-mail addresses)';
const SUBJECT_TOO_LONG = `subject must be at most ${JOURNAL_SUBJECT_MAX_LENGTH} characters`;
const NOTE_TOO_LONG = `note must be at most ${JOURNAL_NOTE_MAX_LENGTH} characters`;
const NOTE_DESCRIPTION =
  'The note (notatpligt): personal data, stored apart from the events; read it back by its noteId';

export class JournalContactDto {
  @ApiProperty({ example: '2026-03-05T09:30:00Z', description: 'When the contact took place' })
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('occurredAt') })
  occurredAt!: Date;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'phone' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiProperty({ enum: CONTACT_DIRECTIONS })
  @IsIn(CONTACT_DIRECTIONS)
  direction!: ContactDirection;

  @ApiProperty({ example: 'Follow-up on application', description: SUBJECT_DESCRIPTION })
  @IsString({ message: 'subject must be text' })
  @MaxLength(JOURNAL_SUBJECT_MAX_LENGTH, { message: SUBJECT_TOO_LONG })
  subject!: string;

  @ApiProperty({ description: 'Whether the contact carried personal data' })
  @IsBoolean()
  containsPersonalData!: boolean;

  @ApiPropertyOptional({ maxLength: JOURNAL_NOTE_MAX_LENGTH, description: NOTE_DESCRIPTION })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(JOURNAL_NOTE_MAX_LENGTH, { message: NOTE_TOO_LONG })
  @Matches(/\S/, { message: 'note must not be blank' })
  note?: string;
}

/** `at`: when the note was written (not before the contact). */
export class RecordNoteDto extends HappenedAtDto {
  @ApiProperty({ maxLength: JOURNAL_NOTE_MAX_LENGTH, description: NOTE_DESCRIPTION })
  @IsString({ message: 'note must be text' })
  @MaxLength(JOURNAL_NOTE_MAX_LENGTH, { message: NOTE_TOO_LONG })
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;
}

export class JournalDocumentDto {
  @ApiProperty({ example: '2026-03-04', description: "The document's own date" })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('documentDate') })
  documentDate!: string;

  @ApiProperty({ enum: JOURNAL_DOCUMENT_KINDS })
  @IsIn(JOURNAL_DOCUMENT_KINDS)
  kind!: JournalDocumentKind;

  @ApiProperty({ example: 'Statement from school', description: SUBJECT_DESCRIPTION })
  @IsString({ message: 'subject must be text' })
  @MaxLength(JOURNAL_SUBJECT_MAX_LENGTH, { message: SUBJECT_TOO_LONG })
  subject!: string;
}

/** `at`: when it was reported or assessed (not before the contact). */
export class HandleInsecureSendingDto extends HappenedAtDto {
  @ApiProperty({ enum: INSECURE_SENDING_ACTIONS })
  @IsIn(INSECURE_SENDING_ACTIONS)
  action!: InsecureSendingAction;
}
