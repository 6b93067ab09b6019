import type { Principal } from '../auth/principal';
import { caseDetailsVisible, decideAccess, type ResourceFacts } from './access-decision';

const caseworker = (departmentId: string): Principal => ({
  subject: 'cw',
  roles: ['caseworker'],
  departmentId,
  caseworkerId: 'cw-1',
});
const facts = (overrides: Partial<ResourceFacts> = {}): ResourceFacts => ({
  found: true,
  departmentId: 'CHP',
  ownDepartment: false,
  holds: false,
  primaryContact: false,
  consented: false,
  ...overrides,
});
const allowed = ['caseworker', 'team-leader', 'system'] as const;

describe('decideAccess', () => {
  it('refuses a role the route does not allow, whatever the relation', () => {
    const auditor: Principal = { ...caseworker('CHP'), roles: ['auditor'] };
    expect(decideAccess(auditor, allowed, 'case', facts({ holds: true }), 'read')).toEqual({
      granted: false,
      reason: 'role',
    });
  });

  it('grants a case to its holder and to its department, the holder without a purpose', () => {
    expect(
      decideAccess(caseworker('CBU'), allowed, 'case', facts({ holds: true }), 'write'),
    ).toMatchObject({
      granted: true,
      own: true,
    });
    expect(
      decideAccess(caseworker('CHP'), allowed, 'case', facts({ ownDepartment: true }), 'read'),
    ).toMatchObject({ granted: true, own: false, basis: 'own-department' });
  });

  it('lets the primary contact read, not change, a consented department’s case', () => {
    const consented = facts({ primaryContact: true, consented: true });
    expect(decideAccess(caseworker('CBU'), allowed, 'case', consented, 'read')).toMatchObject({
      granted: true,
      basis: 'consent',
    });
    expect(decideAccess(caseworker('CBU'), allowed, 'case', consented, 'write')).toEqual({
      granted: false,
      reason: 'scope',
    });
    expect(
      decideAccess(caseworker('CBU'), allowed, 'case', facts({ primaryContact: true }), 'read'),
    ).toEqual({ granted: false, reason: 'scope' });
  });

  it('shows every caseworker the family overview; details follow the case rules', () => {
    expect(decideAccess(caseworker('JOBCENTER'), allowed, 'family', facts(), 'read')).toMatchObject(
      {
        granted: true,
        own: false,
        basis: 'family-overview',
      },
    );
    const principal = caseworker('CBU');
    expect(
      caseDetailsVisible(principal, { departmentId: 'CHP', holds: false, consented: false }),
    ).toBe(false);
    expect(
      caseDetailsVisible(principal, { departmentId: 'CBU', holds: false, consented: false }),
    ).toBe(true);
    expect(
      caseDetailsVisible(principal, { departmentId: 'CHP', holds: false, consented: true }),
    ).toBe(true);
  });

  it('lets the route’s own validation answer a resource that does not exist', () => {
    expect(
      decideAccess(caseworker('CBU'), allowed, 'case', facts({ found: false }), 'read'),
    ).toMatchObject({
      granted: true,
      basis: 'not-found',
    });
  });

  it('keeps a team leader to their own department', () => {
    const leader: Principal = { ...caseworker('CHP'), roles: ['team-leader'] };
    expect(
      decideAccess(leader, allowed, 'case', facts({ ownDepartment: true }), 'read').granted,
    ).toBe(true);
    expect(decideAccess(leader, allowed, 'case', facts(), 'read').granted).toBe(false);
  });
});
