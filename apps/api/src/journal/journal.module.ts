import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { JournalController } from './journal.controller';
import { JournalNotes } from './journal-notes';

/** The case journal: contacts and documents with date, channel and subject; notes kept apart. */
@Module({
  imports: [CaseworkModule],
  controllers: [JournalController],
  providers: [JournalNotes],
})
export class JournalModule {}
