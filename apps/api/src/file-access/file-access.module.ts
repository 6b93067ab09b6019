import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** Requests for access to the file (aktindsigt): answered within 7 working days or a letter in time. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class FileAccessModule {}
