import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { MeetingPagesController } from './meeting-pages.controller';
import { PageLabelsLoader } from './page-labels.loader';

/** Printable Danish pages of the meeting: agenda, minutes, a family's extract. */
@Module({
  imports: [CaseworkModule, MeetingsModule],
  controllers: [MeetingPagesController],
  providers: [PageLabelsLoader],
})
export class MeetingPagesModule {}
