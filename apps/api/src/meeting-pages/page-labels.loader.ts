import { Injectable } from '@nestjs/common';
import type { AgendaItem, MeetingFacts } from '@tovholder/domain';
import { DataSource } from 'typeorm';
import { pageLabelsFrom, type PageLabels } from './page-labels';

/**
 * Looks up the names a page shows for the ids it holds, in one query per kind: departments,
 * people, caseworkers, and families (named by their members). Names are read for the page only;
 * they never reach an event or a log.
 */
@Injectable()
export class PageLabelsLoader {
  constructor(private readonly dataSource: DataSource) {}

  async forMeetings(meetings: readonly MeetingFacts[]): Promise<PageLabels> {
    const items: AgendaItem[] = meetings.flatMap((facts) => [...(facts.agenda?.items ?? [])]);
    const departments = new Set<string>();
    const persons = new Set<string>();
    const families = new Set<string>();
    const caseworkers = new Set<string>();
    for (const facts of meetings) {
      for (const id of facts.planned?.departmentIds ?? []) departments.add(id);
      for (const agreement of facts.agreements) {
        if (agreement.owner.kind === 'caseworker') caseworkers.add(agreement.owner.caseworkerId);
        else departments.add(agreement.owner.departmentId);
      }
      if (facts.approved) caseworkers.add(facts.approved.approvedBy);
    }
    for (const item of items) {
      item.departmentIds.forEach((id) => departments.add(id));
      if (item.personId) persons.add(item.personId);
      if (item.familyId) families.add(item.familyId);
    }
    const [departmentNames, personNames, caseworkerNames, familyNames] = await Promise.all([
      this.names('SELECT id, name FROM departments WHERE id = ANY($1::text[])', departments),
      this.names(
        'SELECT person_id AS id, name FROM persons WHERE person_id = ANY($1::uuid[])',
        persons,
      ),
      this.names(
        'SELECT caseworker_id AS id, name FROM caseworker_names WHERE caseworker_id = ANY($1::uuid[])',
        caseworkers,
      ),
      this.names(
        `SELECT m.family_id AS id, 'Familien ' || string_agg(p.name, ', ' ORDER BY p.name) AS name
           FROM coordination_members m JOIN persons p ON p.person_id = m.person_id
          WHERE m.family_id = ANY($1::uuid[]) GROUP BY m.family_id`,
        families,
      ),
    ]);
    return pageLabelsFrom({
      department: departmentNames,
      person: personNames,
      caseworker: caseworkerNames,
      family: familyNames,
    });
  }

  private async names(sql: string, ids: ReadonlySet<string>): Promise<Map<string, string>> {
    if (ids.size === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(sql, [[...ids]]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
