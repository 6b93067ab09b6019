/** Every setting the API reads, from the environment, with the defaults the README lists. */
export interface AppConfig {
  readonly port: number;
  /** Read models (and, without KurrentDB, the events). Null: start the embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  readonly kurrentDbUrl: string | null;
  readonly embeddedPostgres: { readonly port: number; readonly dataDir: string };
  readonly projections: {
    /** Run the projectors in this process (the default); off for an API-only instance. */
    readonly enabled: boolean;
    readonly batchSize: number;
    readonly maxAttempts: number;
  };
  /** Longest a query may wait for its read model to reach a requested position. */
  readonly readWaitMaxMs: number;
  /** How far ahead of our clock a step's `at` may be and still count as now (clients' clocks drift). */
  readonly clockSkewMs: number;
  readonly logFormat: 'json' | 'text';
  /** A JSON file with the municipality's departments, loaded (upserted) at start-up. */
  readonly departmentsFile: string | null;
  /** Who is in scope of the transition duty, and the local policy behind its flags. */
  readonly transitions: {
    /** Case types whose open case puts a young person in scope (e.g. disability, placement). */
    readonly relevantCaseTypes: readonly string[];
    /** Case types that mean placed out of home (§ 108 youth plan, § 111 aftercare). */
    readonly placementCaseTypes: readonly string[];
    readonly notStartedGraceDays: number;
    readonly adultCaseworkerByAge: number;
    readonly decisionWarningMonthsBefore18: number;
    /** How often the scheduler looks whether today's run is done (it runs once a day). */
    readonly schedulerCheckMs: number;
  };
  /** Local policy behind the coordination flags (changing it needs a family-coordination rebuild). */
  readonly coordination: {
    readonly minDepartmentsForPrimaryContact: number;
    readonly minCaseworkersForPrimaryContact: number;
    readonly changeNoticeWorkingDays: number;
  };
  /** Local policy behind the casework duties' flags (read at query time: no rebuild needed). */
  readonly casework: {
    readonly acknowledgeWithinHours: number;
    readonly deadlineWarningDays: number;
    /** Delivery days a physical letter takes (citizens exempt from Digital Post). */
    readonly postalDeliveryDays: number;
    readonly fileAccessWorkingDays: number;
    readonly noteRequiredChannels: readonly string[];
    readonly noteWithinWorkingDays: number;
    readonly complaintAnswerWorkingDays: number;
    /** A JSON file with the published processing deadline per case type, loaded at start-up. */
    readonly processingDeadlinesFile: string | null;
    /** Days a case referred to visitation may wait before VISITATION_WAITING (local policy). */
    readonly visitationWaitingDays: number;
  };
  /** The monthly coordination meeting's defaults (Slagelse, 2021: chaired by CBU). */
  readonly meetings: {
    readonly chairDepartmentId: string;
    readonly departmentIds: readonly string[];
    /** Working days before the meeting that its agenda is built and frozen. */
    readonly agendaCutOffWorkingDays: number;
    /** Young people turning 16 within this many months come on the agenda. */
    readonly turningSixteenWithinMonths: number;
  };
  /** Who may call the API: bearer tokens from the municipality's identity provider. */
  readonly auth: AuthConfig;
  /** Origins a browser may call the API from; empty keeps CORS closed. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per client (the token's subject, else the IP address). */
  readonly rateLimitPerMinute: number;
  /** Encryption of the person registry's CPR numbers and names. */
  readonly personData: {
    /**
     * The 32-byte master key that wraps every person's data key. Null only on the embedded
     * default: a development key is then generated next to the embedded database.
     */
    readonly masterKey: Buffer | null;
  };
}

export interface IdentityProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
}

export interface AuthConfig {
  /** Null: the development issuer signs and verifies with a local key (never in production). */
  readonly identityProvider: IdentityProvider | null;
  readonly rolesClaim: string;
  readonly departmentClaim: string;
  readonly caseworkerClaim: string;
  /** IdP role name → our role name; names not in it are taken as they are. */
  readonly roleMapping: Readonly<Record<string, string>>;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number, got "${text}"`);
  }
  return value;
}

function text(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function list(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const value = text(env, name);
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : fallback;
}

function identityProvider(env: NodeJS.ProcessEnv): IdentityProvider | null {
  const issuer = text(env, 'AUTH_ISSUER');
  const audience = text(env, 'AUTH_AUDIENCE');
  const jwksUrl = text(env, 'AUTH_JWKS_URL');
  if (issuer && audience && jwksUrl) return { issuer, audience, jwksUrl };
  // Half a configuration must not quietly fall back to the development issuer.
  if (issuer || audience || jwksUrl) {
    throw new ConfigError('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL must be set together');
  }
  return null;
}

function roleMapping(env: NodeJS.ProcessEnv): Record<string, string> {
  const value = text(env, 'AUTH_ROLE_MAPPING');
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError('AUTH_ROLE_MAPPING must be a JSON object');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((role) => typeof role === 'string')
  ) {
    throw new ConfigError('AUTH_ROLE_MAPPING must map IdP role names to role names');
  }
  return parsed as Record<string, string>;
}

/**
 * PERSON_DATA_MASTER_KEY, base64 of 32 bytes. Required as soon as the set-up is configured
 * (an external database or a real identity provider): a development key kept next to the data
 * protects nothing, so it is only for the embedded default.
 */
function personDataMasterKey(env: NodeJS.ProcessEnv): Buffer | null {
  const value = text(env, 'PERSON_DATA_MASTER_KEY');
  if (!value) {
    if (text(env, 'DATABASE_URL') || text(env, 'AUTH_ISSUER')) {
      throw new ConfigError(
        'PERSON_DATA_MASTER_KEY must be set when DATABASE_URL or AUTH_ISSUER is (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)',
      );
    }
    return null;
  }
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : null;
  // Never quote the value: it is a secret.
  if (key?.length !== 32) {
    throw new ConfigError('PERSON_DATA_MASTER_KEY must be base64 of exactly 32 bytes');
  }
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env, 'PORT', 3000),
    databaseUrl: text(env, 'DATABASE_URL'),
    kurrentDbUrl: text(env, 'KURRENTDB_URL'),
    embeddedPostgres: {
      port: integer(env, 'EMBEDDED_PG_PORT', 54329),
      dataDir: text(env, 'EMBEDDED_PG_DIR') ?? '.data/pg',
    },
    projections: {
      enabled: text(env, 'PROJECTIONS_ENABLED') !== 'false',
      batchSize: integer(env, 'PROJECTION_BATCH_SIZE', 500),
      maxAttempts: integer(env, 'PROJECTION_MAX_ATTEMPTS', 3),
    },
    readWaitMaxMs: integer(env, 'READ_WAIT_MAX_MS', 5000),
    clockSkewMs: integer(env, 'CLOCK_SKEW_MS', 5000),
    logFormat: text(env, 'LOG_FORMAT') === 'text' ? 'text' : 'json',
    departmentsFile: text(env, 'DEPARTMENTS_FILE'),
    transitions: {
      relevantCaseTypes: list(env, 'TRANSITION_CASE_TYPES', [
        'disability-support',
        'placement-out-of-home',
      ]),
      placementCaseTypes: list(env, 'PLACEMENT_CASE_TYPES', ['placement-out-of-home']),
      notStartedGraceDays: integer(env, 'TRANSITION_NOT_STARTED_GRACE_DAYS', 30),
      adultCaseworkerByAge: integer(env, 'TRANSITION_ADULT_CASEWORKER_BY_AGE', 17),
      decisionWarningMonthsBefore18: integer(env, 'TRANSITION_DECISION_WARNING_MONTHS', 3),
      schedulerCheckMs: integer(env, 'TRANSITION_SCHEDULER_CHECK_MS', 300_000),
    },
    coordination: {
      minDepartmentsForPrimaryContact: integer(env, 'PRIMARY_CONTACT_MIN_DEPARTMENTS', 2),
      minCaseworkersForPrimaryContact: integer(env, 'PRIMARY_CONTACT_MIN_CASEWORKERS', 2),
      changeNoticeWorkingDays: integer(env, 'CHANGE_NOTICE_WORKING_DAYS', 5),
    },
    casework: {
      acknowledgeWithinHours: integer(env, 'INQUIRY_ACK_HOURS', 48),
      deadlineWarningDays: integer(env, 'PROCESSING_DEADLINE_WARNING_DAYS', 14),
      postalDeliveryDays: integer(env, 'POSTAL_DELIVERY_DAYS', 5),
      fileAccessWorkingDays: integer(env, 'FILE_ACCESS_WORKING_DAYS', 7),
      noteRequiredChannels: list(env, 'NOTE_REQUIRED_CHANNELS', ['phone', 'sms']),
      noteWithinWorkingDays: integer(env, 'NOTE_WITHIN_WORKING_DAYS', 3),
      complaintAnswerWorkingDays: integer(env, 'COMPLAINT_ANSWER_WORKING_DAYS', 20),
      processingDeadlinesFile: text(env, 'PROCESSING_DEADLINES_FILE'),
      visitationWaitingDays: integer(env, 'VISITATION_WAITING_DAYS', 14),
    },
    meetings: {
      chairDepartmentId: text(env, 'MEETING_CHAIR_DEPARTMENT') ?? 'CBU',
      departmentIds: list(env, 'MEETING_DEPARTMENTS', [
        'CBU',
        'CHP',
        'JOBCENTER',
        'UU',
        'UNGEENHEDEN',
      ]),
      agendaCutOffWorkingDays: integer(env, 'AGENDA_CUT_OFF_WORKING_DAYS', 5),
      turningSixteenWithinMonths: integer(env, 'AGENDA_TURNING_16_WITHIN_MONTHS', 3),
    },
    auth: {
      identityProvider: identityProvider(env),
      rolesClaim: text(env, 'AUTH_ROLES_CLAIM') ?? 'roles',
      departmentClaim: text(env, 'AUTH_DEPARTMENT_CLAIM') ?? 'department',
      caseworkerClaim: text(env, 'AUTH_CASEWORKER_CLAIM') ?? 'caseworker_id',
      roleMapping: roleMapping(env),
    },
    corsOrigins: list(env, 'CORS_ORIGINS', []),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600),
    personData: { masterKey: personDataMasterKey(env) },
  };
}
