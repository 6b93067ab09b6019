import type { JWTPayload } from 'jose';
import type { AuthConfig } from '../config/app-config';

export const ROLES = [
  'caseworker',
  'coordinator',
  'youth-unit',
  'team-leader',
  'auditor',
  'admin',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: from the verified token only. No names, no CPR. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly departmentId: string | null;
  readonly caseworkerId: string | null;
}

function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}

function stringClaim(payload: JWTPayload, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** IdPs send roles as an array or as one space-separated string; unknown roles are dropped. */
function rolesClaim(payload: JWTPayload, config: AuthConfig): Role[] {
  const value = payload[config.rolesClaim];
  const names = Array.isArray(value)
    ? value.filter((name): name is string => typeof name === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  const roles = names.map((name) => config.roleMapping[name] ?? name).filter(isRole);
  return [...new Set(roles)];
}

/** Null when the token names no subject: such a token authenticates no one. */
export function principalFrom(payload: JWTPayload, config: AuthConfig): Principal | null {
  const subject = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
  if (!subject) return null;
  return {
    subject,
    roles: rolesClaim(payload, config),
    departmentId: stringClaim(payload, config.departmentClaim),
    caseworkerId: stringClaim(payload, config.caseworkerClaim),
  };
}
