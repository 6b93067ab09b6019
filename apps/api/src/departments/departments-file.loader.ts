import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
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
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    const dto = plainToInstance(ImportDepartmentsDto, parsed);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const reasons = errors.flatMap((e) =>
        Object.values(e.constraints ?? {}).concat(
          e.children?.length ? [`${e.property}: invalid entries`] : [],
        ),
      );
      throw new Error(`DEPARTMENTS_FILE ${file} is not valid: ${reasons.join('; ')}`);
    }
    await upsertDepartments(this.dataSource, dto.departments);
    this.logger.log(`loaded ${dto.departments.length} departments from ${file}`);
  }
}
