import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Names stay out of events: the caseworker's name lives here, keyed by the id events use. */
@Entity({ name: 'caseworker_names' })
export class CaseworkerNameEntity {
  @PrimaryColumn({ name: 'caseworker_id', type: 'uuid' })
  caseworkerId!: string;

  @Column({ type: 'text' })
  name!: string;
}
