import { InvalidCommandError } from '@tovholder/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { ImportedDepartmentDto } from './department.dto';
import { DepartmentEntity } from './department.entity';

/** Commands may only name a department the municipality has (and has not retired). */
export async function requireDepartment(
  manager: EntityManager,
  departmentId: string,
): Promise<void> {
  const found = await manager.findOneBy(DepartmentEntity, { id: departmentId, active: true });
  if (!found) {
    throw new InvalidCommandError('DEPARTMENT.UNKNOWN', 'departmentId names no active department', {
      field: 'departmentId',
      departmentId,
    });
  }
}

/** Adds or updates departments in one transaction (the API's import and DEPARTMENTS_FILE). */
export async function upsertDepartments(
  dataSource: DataSource,
  departments: readonly ImportedDepartmentDto[],
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const d of departments) {
      await manager.upsert(
        DepartmentEntity,
        { id: d.id, name: d.name, area: d.area, active: d.active ?? true },
        ['id'],
      );
    }
  });
}
