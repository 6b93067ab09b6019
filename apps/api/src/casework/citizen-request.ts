import { loadCaseFacts } from '../cases/case-facts';
import { requireDepartment } from '../departments/departments';
import { requirePerson } from '../persons/persons';
import type { Preparation } from '../shared/command-runner';

/** What a citizen's inquiry, complaint or file-access request names besides itself. */
export interface NamedInRequest {
  readonly departmentId: string;
  readonly personId?: string;
  readonly caseId?: string;
}

/**
 * Receiving an inquiry, a complaint or a file-access request: one preparation for all three.
 * Each may only name an active department, a registered person and (from the case's own
 * stream) a case that exists.
 */
export async function checkCitizenRequest(
  { manager, store }: Preparation,
  named: NamedInRequest,
): Promise<void> {
  if (named.personId !== undefined) await requirePerson(manager, named.personId);
  await requireDepartment(manager, named.departmentId);
  if (named.caseId !== undefined) await loadCaseFacts(store, named.caseId);
}
