import { Module } from '@nestjs/common';
import { CaseQueries } from './case.queries';
import { CasesController } from './cases.controller';

@Module({
  controllers: [CasesController],
  providers: [CaseQueries],
})
export class CasesModule {}
