import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { ComplaintsController } from './complaints.controller';

/** Complaints about staff, service or casework: registered the same way everywhere, resolved, timed. */
@Module({
  imports: [CaseworkModule],
  controllers: [ComplaintsController],
  providers: [],
})
export class ComplaintsModule {}
