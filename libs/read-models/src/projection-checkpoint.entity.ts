import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  projector!: string;

  /** Null: nothing applied yet. Stored as text by pg (bigint), parsed to bigint when read. */
  @Column({ name: 'commit_position', type: 'bigint', nullable: true })
  commitPosition!: string | null;

  @Column({ name: 'prepare_position', type: 'bigint', nullable: true })
  preparePosition!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
