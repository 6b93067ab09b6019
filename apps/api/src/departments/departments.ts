import { InvalidCommandError } from '@tovholder/domain';
import type { EntityManager } from 'typeorm';
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
