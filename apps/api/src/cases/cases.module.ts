import { Module } from '@nestjs/common';
import { ExecuteCaseCommandHandler } from './case.commands';
import { GetCaseHandler, ListCasesHandler } from './case.queries';
import { CasesController } from './cases.controller';

@Module({
  controllers: [CasesController],
  providers: [ExecuteCaseCommandHandler, ListCasesHandler, GetCaseHandler],
})
export class CasesModule {}
