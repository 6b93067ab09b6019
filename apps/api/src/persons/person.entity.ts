import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The person registry, kept apart from the event log: events carry only `personId`, so a person
 * can be erased here without rewriting history. CPR number and name are stored sealed with the
 * person's own key (table person_keys, see person-crypto.ts) and are read through
 * PersonRegistry only; this entity maps the columns other features may read.
 */
@Entity({ name: 'persons' })
export class PersonEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  /** Gets letters by physical post, so written notices must leave earlier (postal delay). */
  @Column({ name: 'exempt_from_digital_post', type: 'boolean', default: false })
  exemptFromDigitalPost!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set when the person was erased: CPR number and name are gone for good. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
