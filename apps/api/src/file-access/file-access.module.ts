import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { FileAccessController } from './file-access.controller';

/** Requests for access to the file (aktindsigt): answered within 7 working days or a letter in time. */
@Module({
  imports: [CaseworkModule],
  controllers: [FileAccessController],
  providers: [],
})
export class FileAccessModule {}
