import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** The case journal: contacts and documents with date, channel and subject; notes kept apart. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class JournalModule {}
