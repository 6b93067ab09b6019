import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The person registry, kept apart from the event log: events carry only `personId`, so a person
 * can be erased here without rewriting history. CPR numbers never leave this table except in
 * answers to the caseworker who looks the person up.
 */
@Entity({ name: 'persons' })
export class PersonEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  /** Normalised DDMMYYSSSS. */
  @Column({ type: 'text', unique: true })
  cpr!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  /** Gets letters by physical post, so written notices must leave earlier (postal delay). */
  @Column({ name: 'exempt_from_digital_post', type: 'boolean', default: false })
  exemptFromDigitalPost!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
