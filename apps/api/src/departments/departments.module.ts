import { Module } from '@nestjs/common';
import { DepartmentsFileLoader } from './departments-file.loader';
import { DepartmentsController } from './departments.controller';

/** The municipality's departments, from DEPARTMENTS_FILE and the admin API. */
@Module({ controllers: [DepartmentsController], providers: [DepartmentsFileLoader] })
export class DepartmentsModule {}
