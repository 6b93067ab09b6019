import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DEPARTMENT_AREAS, type DepartmentArea } from './default-departments';

/** Departments are data (they differ per municipality), not events. */
@Entity({ name: 'departments' })
export class DepartmentEntity {
  @ApiProperty({ example: 'CHP' })
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @ApiProperty({ example: 'Center for Handicap og Psykiatri' })
  @Column({ type: 'text' })
  name!: string;

  @ApiProperty({ enum: DEPARTMENT_AREAS })
  @Column({ type: 'text' })
  area!: DepartmentArea;

  @ApiProperty()
  @Column({ type: 'boolean' })
  active!: boolean;
}
