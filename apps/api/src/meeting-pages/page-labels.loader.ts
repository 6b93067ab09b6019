import { Injectable } from '@nestjs/common';
import type { AgendaItem, AgreementFact, MeetingFacts } from '@tovholder/domain';
import { DataSource } from 'typeorm';
import { pageLabelsFrom, type PageLabels } from './page-labels';

export interface PageContent {
  readonly departmentIds: readonly string[];
  readonly items: readonly AgendaItem[];
  readonly agreements: readonly AgreementFact[];
  readonly caseworkerIds: readonly string[];
}

/**
 * Looks up the names a page shows for the ids it holds, in one query per kind: departments,
 * people, caseworkers, and families (named by their members). Names are read for the page only;
 * they never reach an event or a log.
 */
@Injectable()
export class PageLabelsLoader {
  constructor(private readonly dataSource: DataSource) {}

  async forMeetings(meetings: readonly MeetingFacts[]): Promise<PageLabels> {
    return this.forContent({
      departmentIds: meetings.flatMap((facts) => facts.planned?.departmentIds ?? []),
      items: meetings.flatMap((facts) => facts.agenda?.items ?? []),
      agreements: meetings.flatMap((facts) => facts.agreements),
      caseworkerIds: meetings.flatMap((facts) =>
        facts.approved ? [facts.approved.approvedBy] : [],
      ),
    });
  }

  /** The names for what a page shows: its departments, items, agreements and caseworkers. */
  async forContent(content: PageContent): Promise<PageLabels> {
    const departments = new Set<string>(content.departmentIds);
    const persons = new Set<string>();
    const families = new Set<string>();
    const caseworkers = new Set<string>(content.caseworkerIds);
    for (const agreement of content.agreements) {
      if (agreement.owner.kind === 'caseworker') caseworkers.add(agreement.owner.caseworkerId);
      else departments.add(agreement.owner.departmentId);
    }
    for (const item of content.items) {
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
