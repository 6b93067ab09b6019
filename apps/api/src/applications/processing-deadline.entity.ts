import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DEADLINE_UNITS, type DeadlineUnit } from '@tovholder/domain';

/**
 * The municipality's published processing deadline per case type (Retssikkerhedsloven § 3 stk.
 * 2). Data, not events: an application snapshots the deadline in force when it is received.
 * The case type '*' is the fallback for types without their own.
 */
@Entity({ name: 'processing_deadlines' })
export class ProcessingDeadlineEntity {
  @ApiProperty({ example: 'disability-support' })
  @PrimaryColumn({ name: 'case_type', type: 'text' })
  caseType!: string;

  @ApiProperty({ example: 12 })
  @Column({ type: 'integer' })
  amount!: number;

  @ApiProperty({ enum: DEADLINE_UNITS })
  @Column({ type: 'text' })
  unit!: DeadlineUnit;
}
