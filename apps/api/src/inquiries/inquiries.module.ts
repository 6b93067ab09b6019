import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { InquiriesController } from './inquiries.controller';

/** Citizens' inquiries: acknowledged within the hours, then answered. */
@Module({ imports: [CaseworkModule], controllers: [InquiriesController] })
export class InquiriesModule {}
