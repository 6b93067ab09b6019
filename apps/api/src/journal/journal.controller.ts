import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type JournalCommand } from '@tovholder/domain';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { loadCaseFacts } from '../cases/case-facts';
import { CaseworkQueries } from '../casework/casework.queries';
import { recordIdPipe } from '../casework/record-id.pipe';
import { CommandRunner, type Preparation } from '../shared/command-runner';
import { journalOf } from './journal.commands';
import type { DutyFlag } from '../casework/duty-kinds';
import { newRecordId } from '../http/idempotency';
import { ReadAfterDto } from '../http/read-after.dto';
import type { CommandOutcome } from '../shared/command-execution';
import { journalEntries, type JournalEntry } from './journal-entries';
import { JournalNotes, type JournalNote } from './journal-notes';
import {
  HandleInsecureSendingDto,
  JournalContactDto,
  JournalDocumentDto,
  RecordNoteDto,
} from './journal.dto';
import { Allow, Scoped, type AccessScope } from '../access/access-rules';
import type { Role } from '../auth/principal';
import { CommandStep } from '../casework/record-routes';

const CASE_SCOPE: AccessScope = { kind: 'case', param: 'caseId' };
const JOURNAL_WRITERS: readonly Role[] = ['caseworker', 'system'];
/** A new entry or note in a case's journal: its caseworkers and the system, scoped to the case. */
const JournalEntry = (): MethodDecorator =>
  applyDecorators(Allow(...JOURNAL_WRITERS), Scoped(CASE_SCOPE));
/** A read of a case's journal: its caseworkers, team leaders and the system, scoped and logged. */
const JournalRead = (): MethodDecorator =>
  applyDecorators(Allow('caseworker', 'team-leader', 'system'), Scoped(CASE_SCOPE));

const caseId = recordIdPipe('CASE.NOT_FOUND', 'No case with this id');
const entryId = recordIdPipe('JOURNAL.ENTRY_NOT_FOUND', 'No journal entry with this id');
const NOTE_NOT_FOUND = {
  code: 'JOURNAL.NOTE_NOT_FOUND',
  message: 'No note with this id in this case',
} as const;

export interface JournalView {
  readonly caseId: string;
  readonly entries: JournalEntry[];
  /** Today's flags: NOTE_MISSING, INSECURE_CHANNEL (details.entryId names the entry). */
  readonly flags: DutyFlag[];
}

/**
 * A case's journal (one stream per case): contacts with their notes (notatpligt), documents,
 * and personal data sent by ordinary e-mail handled as a possible breach. A note's content is
 * personal data: it is stored apart (JournalNotes) and the events only carry its id.
 */
@ApiTags('journal')
@Controller('cases/:caseId/journal')
export class JournalController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly queries: CaseworkQueries,
    private readonly notes: JournalNotes,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private run(
    id: string,
    request: Request,
    command: (preparation: Preparation) => JournalCommand | Promise<JournalCommand>,
  ) {
    return this.commands.run(journalOf(id, command), request);
  }

  @Post('contacts')
  @ApiOperation({ summary: 'Journal a contact with the citizen', operationId: 'journalContact' })
  @JournalEntry()
  @ApiCreatedResponse({ description: '{ entryId, noteId (or null), position }' })
  async contact(
    @Param('caseId', caseId) id: string,
    @Body() body: JournalContactDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { entryId: string; noteId: string | null }> {
    const newEntryId = newRecordId();
    const journal = (newNoteId: string | null) =>
      this.run(id, request, ({ now }) => ({
        type: 'JournalContact',
        caseId: id,
        entryId: newEntryId,
        occurredAt: body.occurredAt,
        channel: body.channel,
        direction: body.direction,
        subject: body.subject,
        containsPersonalData: body.containsPersonalData,
        noteId: newNoteId,
        now,
      }));
    if (body.note === undefined) {
      return { entryId: newEntryId, noteId: null, ...(await journal(null)) };
    }
    const newNoteId = newRecordId();
    const outcome = await this.notes.storeThen(
      { noteId: newNoteId, caseId: id, entryId: newEntryId, content: body.note },
      () => journal(newNoteId),
    );
    return { entryId: newEntryId, noteId: newNoteId, ...outcome };
  }

  @Post('contacts/:entryId/note')
  @ApiOperation({
    summary: 'Record the note of a journalled contact',
    operationId: 'recordContactNote',
  })
  @JournalEntry()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ noteId, position }' })
  async note(
    @Param('caseId', caseId) id: string,
    @Param('entryId', entryId) entry: string,
    @Body() body: RecordNoteDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { noteId: string }> {
    const newNoteId = newRecordId();
    const outcome = await this.notes.storeThen(
      { noteId: newNoteId, caseId: id, entryId: entry, content: body.note },
      () =>
        this.run(id, request, ({ now }) => ({
          type: 'RecordNote',
          caseId: id,
          entryId: entry,
          noteId: newNoteId,
          notedAt: body.at,
          now,
        })),
    );
    return { noteId: newNoteId, ...outcome };
  }

  @Post('documents')
  @ApiOperation({ summary: 'Journal a document', operationId: 'journalDocument' })
  @JournalEntry()
  @ApiCreatedResponse({ description: '{ entryId, position }' })
  async document(
    @Param('caseId', caseId) id: string,
    @Body() body: JournalDocumentDto,
    @Req() request: Request,
  ): Promise<CommandOutcome & { entryId: string }> {
    const newEntryId = newRecordId();
    const outcome = await this.run(id, request, ({ now }) => ({
      type: 'JournalDocument',
      caseId: id,
      entryId: newEntryId,
      documentDate: body.documentDate,
      kind: body.kind,
      subject: body.subject,
      now,
    }));
    return { entryId: newEntryId, ...outcome };
  }

  @Post('contacts/:entryId/insecure-sending')
  @ApiOperation({
    summary: 'Record how personal data sent over an insecure channel was handled',
    operationId: 'handleInsecureSending',
  })
  @CommandStep(JOURNAL_WRITERS, CASE_SCOPE)
  async insecureSending(
    @Param('caseId', caseId) id: string,
    @Param('entryId', entryId) entry: string,
    @Body() body: HandleInsecureSendingDto,
    @Req() request: Request,
  ): Promise<CommandOutcome> {
    return this.run(id, request, ({ now }) => ({
      type: 'HandleInsecureSending',
      caseId: id,
      entryId: entry,
      action: body.action,
      handledAt: body.at,
      now,
    }));
  }

  @Get()
  @ApiOperation({ summary: "Get a case's journal with today's flags", operationId: 'getJournal' })
  @JournalRead()
  @ApiOkResponse({
    description:
      'The journal: entries in order (contacts and documents; notes by noteId only) and flags for today',
  })
  async journal(
    @Param('caseId', caseId) id: string,
    @Query() query: ReadAfterDto,
  ): Promise<JournalView> {
    await this.queries.catchUp(query.waitForPosition);
    const record = await this.queries.recordWithEvents('journal', id);
    if (record === null) {
      await loadCaseFacts(this.store, id); // 404 for no such case; else an empty journal
      return { caseId: id, entries: [], flags: [] };
    }
    // The entries from the events the flags were computed from.
    const { view, events } = record;
    return { caseId: id, entries: journalEntries(events), flags: view.flags };
  }

  @Get('notes/:noteId')
  @ApiOperation({ summary: "Read a journal note's content", operationId: 'getJournalNote' })
  @JournalRead()
  @ApiOkResponse({ description: "A note's content, for the caseworker" })
  async readNote(
    @Param('caseId', caseId) id: string,
    @Param('noteId', recordIdPipe(NOTE_NOT_FOUND.code, NOTE_NOT_FOUND.message)) note: string,
  ): Promise<JournalNote> {
    return (
      (await this.notes.find(id, note)) ?? Promise.reject(new NotFoundException(NOTE_NOT_FOUND))
    );
  }
}
