import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { readConfigFile } from '../config/json-file';
import { upsertDepartments } from './departments';
import { ImportDepartmentsDto } from './department.dto';

/**
 * DEPARTMENTS_FILE: the municipality's own departments, the same JSON as POST /departments/import
 * ({ "departments": [{ "id", "name", "area" }] }). A bad file stops the start with the reason.
 */
@Injectable()
export class DepartmentsFileLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Departments');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.departmentsFile;
    if (!file) return;
    const dto = await readConfigFile('DEPARTMENTS_FILE', file, ImportDepartmentsDto);
    await upsertDepartments(this.dataSource, dto.departments);
    this.logger.log(`loaded ${dto.departments.length} departments from ${file}`);
  }
}
