import { Injectable } from '@nestjs/common';
import type { AgendaItem, AgreementFact, MeetingFacts } from '@tovholder/domain';
import { DataSource } from 'typeorm';
import { PersonRegistry } from '../persons/person-registry';
import { ERASED_PERSON_LABEL, familyLabel } from './danish-text';
import { pageLabelsFrom, type PageLabels } from './page-labels';

export interface PageContent {
  readonly departmentIds: readonly string[];
  readonly items: readonly AgendaItem[];
  readonly agreements: readonly AgreementFact[];
  readonly caseworkerIds: readonly string[];
}

/**
 * Looks up the names a page shows for the ids it holds, in one query per kind: departments,
 * people, caseworkers, and families (named by their members). People's names are sealed in the
 * registry, so they are opened in Node (PersonRegistry), never compared or joined in SQL; an
 * erased person is "Slettet person". Names are read for the page only; they never reach an event
 * or a log.
 */
@Injectable()
export class PageLabelsLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PersonRegistry,
  ) {}

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
    const [departmentNames, caseworkerNames, members] = await Promise.all([
      this.names('SELECT id, name FROM departments WHERE id = ANY($1::text[])', departments),
      this.names(
        'SELECT caseworker_id AS id, name FROM caseworker_names WHERE caseworker_id = ANY($1::uuid[])',
        caseworkers,
      ),
      families.size === 0
        ? Promise.resolve([])
        : this.dataSource.query<{ family_id: string; person_id: string }[]>(
            'SELECT family_id, person_id FROM coordination_members WHERE family_id = ANY($1::uuid[])',
            [[...families]],
          ),
    ]);
    const people = await this.registry.names([
      ...persons,
      ...members.map((member) => member.person_id),
    ]);
    const personNames = new Map(
      [...persons]
        .filter((id) => people.has(id))
        .map((id) => [id, people.get(id) ?? ERASED_PERSON_LABEL]),
    );
    const membersOf = new Map<string, (string | null)[]>();
    for (const member of members) {
      if (!people.has(member.person_id)) continue;
      const names = membersOf.get(member.family_id) ?? [];
      names.push(people.get(member.person_id) ?? null);
      membersOf.set(member.family_id, names);
    }
    const familyNames = new Map(
      [...membersOf].map(([familyId, names]) => [familyId, familyLabel(names)]),
    );
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
