import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'case_list' })
@Index('case_list_department_status', ['departmentId', 'status', 'openedAt'])
export class CaseListItemEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ApiProperty({ format: 'uuid', description: 'Internal person id (never a CPR number)' })
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ApiProperty({ example: 'CHP' })
  @Column({ name: 'department_id', type: 'text' })
  departmentId!: string;

  @ApiProperty({ example: 'disability-support' })
  @Column({ name: 'case_type', type: 'text' })
  caseType!: string;

  @ApiProperty({ enum: ['open', 'closed'] })
  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  @ApiProperty()
  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;
}
