import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** Complaints about staff, service or casework: registered the same way everywhere, resolved, timed. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class ComplaintsModule {}
