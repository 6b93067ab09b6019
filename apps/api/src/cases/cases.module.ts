import { Module } from '@nestjs/common';
import { GetCaseHandler, ListCasesHandler } from './case.queries';
import { CasesController } from './cases.controller';

@Module({
  controllers: [CasesController],
  providers: [ListCasesHandler, GetCaseHandler],
})
export class CasesModule {}
