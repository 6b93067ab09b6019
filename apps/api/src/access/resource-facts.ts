import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CASEWORK_PROJECTOR } from '../casework/casework.projector';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { FAMILY_COORDINATION_PROJECTOR } from '../coordination/family-coordination.projector';
import { waitForPosition } from '../projections/read-after-write';
import type { Role } from '../auth/principal';
import { decidedWithoutFacts, type ResourceFacts } from './access-decision';
import type { AccessScope } from './access-rules';
import { preparedQuery } from './prepared-query';

/** The ids an access-log entry names, besides the resource itself. */
export interface ResourceSubjects {
  readonly caseId: string | null;
  readonly personIds: string[];
  readonly familyIds: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cases a resource concerns ($1 its id, $4 the record kind): rows of (case_id,
 * department_id, person_id), and whether it exists at all.
 */
const TARGETS: Record<
  Exclude<AccessScope['kind'], 'department'>,
  { rows: string; found: string }
> = {
  case: {
    rows: 'SELECT case_id, department_id, person_id FROM coordination_cases WHERE case_id = $1',
    found: 'EXISTS (SELECT 1 FROM target)',
  },
  record: {
    rows: `SELECT case_id, department_id, person_id FROM casework_records
              WHERE kind = $4 AND record_id = $1`,
    found: 'EXISTS (SELECT 1 FROM target)',
  },
  person: {
    rows: `SELECT case_id, department_id, person_id FROM coordination_cases WHERE person_id = $1
             UNION ALL SELECT NULL::uuid, NULL::text, $1::uuid`,
    found: 'EXISTS (SELECT 1 FROM persons WHERE person_id = $1)',
  },
  family: {
    rows: `SELECT c.case_id, c.department_id, m.person_id
               FROM coordination_members m
               LEFT JOIN coordination_cases c ON c.person_id = m.person_id AND c.status = 'open'
              WHERE m.family_id = $1`,
    found: 'EXISTS (SELECT 1 FROM coordination_families WHERE family_id = $1)',
  },
};

/**
 * One query: what the resource is and how the caller ($2 caseworker id, $3 department) stands
 * to it, from the coordination read model. For a family the "families" are the family itself;
 * otherwise the families of the persons concerned.
 */
function factsSql(kind: keyof typeof TARGETS): string {
  const families =
    kind === 'family'
      ? 'SELECT $1::uuid AS family_id'
      : `SELECT DISTINCT m.family_id FROM coordination_members m
           WHERE m.person_id IN (SELECT person_id FROM target WHERE person_id IS NOT NULL)`;
  // A case or a record concerns one case; a person or a family may have many, and naming one of
  // them would mislead an auditor who filters by case: their entries name the family or persons.
  const caseIdSql =
    kind === 'case' || kind === 'record'
      ? '(SELECT min(case_id::text) FROM target) AS case_id'
      : 'NULL::text AS case_id';
  return `
    WITH target AS MATERIALIZED (${TARGETS[kind].rows}),
         families AS MATERIALIZED (${families}),
         contact AS MATERIALIZED (
           SELECT f.family_id FROM coordination_families f
            WHERE f.family_id IN (SELECT family_id FROM families) AND f.primary_contact_id = $2::uuid)
    SELECT ${TARGETS[kind].found} AS found,
           (SELECT min(department_id) FROM target) AS department_id,
           EXISTS (SELECT 1 FROM target WHERE department_id = $3::text) AS own_department,
           EXISTS (SELECT 1 FROM target t JOIN coordination_cases c ON c.case_id = t.case_id
                    WHERE c.caseworker_id = $2::uuid) AS holds,
           EXISTS (SELECT 1 FROM contact) AS primary_contact,
           EXISTS (SELECT 1 FROM contact k JOIN coordination_consents s ON s.family_id = k.family_id
                    WHERE s.department_id IN (SELECT department_id FROM target)) AS consented,
           ${caseIdSql},
           ARRAY(SELECT DISTINCT person_id FROM target WHERE person_id IS NOT NULL) AS person_ids,
           ARRAY(SELECT family_id FROM families) AS family_ids`;
}

/** The read models each scope's facts come from (see TARGETS and factsSql). */
const FACT_PROJECTORS: Record<keyof typeof TARGETS, readonly string[]> = {
  case: [FAMILY_COORDINATION_PROJECTOR],
  person: [FAMILY_COORDINATION_PROJECTOR],
  family: [FAMILY_COORDINATION_PROJECTOR],
  record: [CASEWORK_PROJECTOR, FAMILY_COORDINATION_PROJECTOR],
};

const FACTS_SQL = {
  case: factsSql('case'),
  record: factsSql('record'),
  person: factsSql('person'),
  family: factsSql('family'),
};

interface FactsRow {
  found: boolean;
  department_id: string | null;
  own_department: boolean;
  holds: boolean;
  primary_contact: boolean;
  consented: boolean;
  case_id: string | null;
  person_ids: string[];
  family_ids: string[];
}

const NOT_FOUND: ResourceFacts = {
  found: false,
  departmentId: null,
  ownDepartment: false,
  holds: false,
  primaryContact: false,
  consented: false,
};

/**
 * The facts scoping decides on, from read models that a projector keeps a moment behind the log,
 * and not always at the pace of the read model a route answers from: a case just opened can be in
 * the case list before it is here. So:
 * - a request that names its own write (`waitForPosition`) is judged once they have seen it;
 * - "not found" is believed only once they have seen the whole log; taken at once, it would let
 *   anyone read or change a resource in the moment between the two read models.
 */
@Injectable()
export class ResourceFactsReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async load(
    scope: AccessScope,
    resourceId: string | undefined,
    principal: Principal,
    allowed: readonly Role[],
    position: string | undefined,
  ): Promise<{ facts: ResourceFacts; subjects: ResourceSubjects }> {
    if (scope.kind === 'department' || decidedWithoutFacts(principal, allowed)) {
      return loadResourceFacts(this.dataSource, scope, resourceId, principal);
    }
    const projectors = FACT_PROJECTORS[scope.kind];
    await waitForPosition(this.watcher, projectors, position, this.config.readWaitMaxMs);
    const loaded = await loadResourceFacts(this.dataSource, scope, resourceId, principal);
    if (loaded.facts.found || !resourceId || !UUID.test(resourceId)) return loaded;
    const head = await this.store.headPosition();
    if (head === null) return loaded;
    await Promise.all(
      projectors.map((projector) =>
        this.watcher.waitFor(projector, head, this.config.readWaitMaxMs),
      ),
    );
    return loadResourceFacts(this.dataSource, scope, resourceId, principal);
  }
}

async function loadResourceFacts(
  dataSource: DataSource,
  scope: AccessScope,
  resourceId: string | undefined,
  principal: Principal,
): Promise<{ facts: ResourceFacts; subjects: ResourceSubjects }> {
  const none: ResourceSubjects = { caseId: null, personIds: [], familyIds: [] };
  if (scope.kind === 'department') {
    const departmentId = resourceId ?? null;
    return {
      facts: {
        ...NOT_FOUND,
        // No department named: the route's validation answers that.
        found: departmentId !== null,
        departmentId,
        ownDepartment: departmentId !== null && departmentId === principal.departmentId,
      },
      subjects: none,
    };
  }
  // A malformed id names nothing; the route's own validation answers it.
  if (!resourceId || !UUID.test(resourceId)) return { facts: NOT_FOUND, subjects: none };
  const parameters = [
    resourceId,
    principal.caseworkerId && UUID.test(principal.caseworkerId) ? principal.caseworkerId : null,
    principal.departmentId,
    ...(scope.kind === 'record' ? [scope.recordKind] : []),
  ];
  const [row] = await preparedQuery<FactsRow>(
    dataSource,
    `access-facts-${scope.kind}`,
    FACTS_SQL[scope.kind],
    parameters,
  );
  if (!row) return { facts: NOT_FOUND, subjects: none };
  return {
    facts: {
      found: row.found,
      departmentId: scope.kind === 'case' || scope.kind === 'record' ? row.department_id : null,
      ownDepartment: row.own_department,
      holds: row.holds,
      primaryContact: row.primary_contact,
      consented: row.consented,
    },
    subjects: { caseId: row.case_id, personIds: row.person_ids, familyIds: row.family_ids },
  };
}
