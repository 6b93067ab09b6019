import type { CaseworkerFacts } from './caseworker.decider';

/** Caseworker facts for the deciders' specs: active all along, deactivated all along, unknown. */
export const activeCaseworker = (caseworkerId: string): CaseworkerFacts => ({
  caseworkerId,
  registered: true,
  inactive: [],
});

export const deactivatedCaseworker = (caseworkerId: string): CaseworkerFacts => ({
  caseworkerId,
  registered: true,
  inactive: [{ from: '2000-01-01T00:00:00.000Z', until: null }],
});

export const unknownCaseworker = (caseworkerId: string): CaseworkerFacts => ({
  caseworkerId,
  registered: false,
  inactive: [],
});
