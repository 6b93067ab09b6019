import type { Principal, Role } from '../auth/principal';

/** What the read models say about a resource and the caller's relation to it. */
export interface ResourceFacts {
  readonly found: boolean;
  /** The department of the case the resource belongs to; null for a person or family. */
  readonly departmentId: string | null;
  /** The case is in the caller's department (person, family: one of its cases is). */
  readonly ownDepartment: boolean;
  /** The caller holds the case (person, family: a case of the person or a member). */
  readonly holds: boolean;
  /** The caller is the primary contact of a family the resource belongs to. */
  readonly primaryContact: boolean;
  /** ... and that family shares this case's department with its primary contact. */
  readonly consented: boolean;
}

export type AccessDecision =
  | { readonly granted: true; readonly own: boolean; readonly basis: string }
  | { readonly granted: false; readonly reason: 'role' | 'scope' };

/**
 * Who may see or change one case's, person's or family's data. Pure, so every combination
 * of role, department and consent is tested without HTTP (access-decision.spec.ts).
 * `own` means within the caller's own cases or families: the read needs no stated purpose.
 */
export function decideAccess(
  principal: Principal,
  allowed: readonly Role[],
  scope: 'case' | 'record' | 'person' | 'family' | 'department',
  facts: ResourceFacts,
  mode: 'read' | 'write',
): AccessDecision {
  const roles = principal.roles.filter((role) => allowed.includes(role));
  if (roles.length === 0) return { granted: false, reason: 'role' };
  if (roles.includes('system')) return { granted: true, own: true, basis: 'system' };
  if (!facts.found) return { granted: true, own: false, basis: 'not-found' };
  const own = facts.holds || (scope !== 'case' && scope !== 'record' && facts.primaryContact);
  if (roles.includes('caseworker')) {
    if (scope === 'family') return { granted: true, own, basis: 'family-overview' };
    if (facts.holds) return { granted: true, own: true, basis: 'holds-case' };
    if (facts.ownDepartment) return { granted: true, own, basis: 'own-department' };
    if (scope === 'person' && facts.primaryContact) {
      return { granted: true, own: true, basis: 'primary-contact' };
    }
    if (mode === 'read' && facts.consented) {
      return { granted: true, own: true, basis: 'consent' };
    }
  }
  // Team leaders act in their own department where a route lets them (e.g. a complaint's answer).
  if (roles.includes('team-leader')) {
    if (scope === 'family') return { granted: true, own: false, basis: 'family-overview' };
    if (facts.ownDepartment) return { granted: true, own: false, basis: 'own-department' };
  }
  // The other roles (youth unit, coordinator, ...) are municipality-wide units: where a route
  // allows them at all, scoping does not narrow them.
  const wide = roles.find((role) => role !== 'caseworker' && role !== 'team-leader');
  if (wide) return { granted: true, own: false, basis: wide };
  return { granted: false, reason: 'scope' };
}

/** The system actor is not scoped: its decision needs no facts, so none need waiting for. */
export function decidedWithoutFacts(principal: Principal, allowed: readonly Role[]): boolean {
  return principal.roles.includes('system') && allowed.includes('system');
}

/**
 * Which of a family's cases the caller may see in detail: the family view shows the others'
 * existence and department only. Same rules as a case read.
 */
export function caseDetailsVisible(
  principal: Principal,
  facts: Pick<ResourceFacts, 'departmentId' | 'holds' | 'consented'>,
): boolean {
  if (principal.roles.includes('system')) return true;
  const inOwnDepartment =
    facts.departmentId !== null && facts.departmentId === principal.departmentId;
  if (
    principal.roles.includes('caseworker') &&
    (facts.holds || inOwnDepartment || facts.consented)
  ) {
    return true;
  }
  return principal.roles.includes('team-leader') && inOwnDepartment;
}
