import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event a projector could not apply after its retries: kept with the reason, replayable. */
@Entity({ name: 'parked_events' })
@Index('parked_events_projector_event', ['projector', 'eventId'], { unique: true })
export class ParkedEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  projector!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'stream_revision', type: 'bigint' })
  streamRevision!: string;

  @Column({ name: 'commit_position', type: 'bigint' })
  commitPosition!: string;

  @Column({ name: 'prepare_position', type: 'bigint' })
  preparePosition!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'parked_at', type: 'timestamptz' })
  parkedAt!: Date;
}
