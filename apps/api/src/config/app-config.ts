import { totalmem } from 'node:os';
import { ConfigError, readEnvironment, type Environment } from './environment';

/** Where the embedded PostgreSQL keeps its data, listens, and how much memory it caches in. */
export interface EmbeddedPostgresSettings {
  readonly port: number;
  readonly dataDir: string;
  /** shared_buffers (EMBEDDED_PG_SHARED_BUFFERS_MB). */
  readonly sharedBuffersMb: number;
  /** max_wal_size (EMBEDDED_PG_MAX_WAL_SIZE_MB): the WAL written between checkpoints. */
  readonly maxWalSizeMb: number;
}

/**
 * The embedded PostgreSQL's shared_buffers unless set: a quarter of the machine's memory,
 * PostgreSQL's own advice for a database server. Its default, 128 MB, left a rebuild reading a
 * live-shaped log stream by stream to fetch nearly every event from the operating system's cache
 * a page at a time (see the README's design notes). In a container, of the container's limit.
 */
function aQuarterOfMemoryMb(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  const memory = limit > 0 ? Math.min(limit, totalmem()) : totalmem();
  return Math.max(128, Math.floor(memory / 4 / 2 ** 20));
}

/** Every setting the API reads, from the environment, with the defaults the README lists. */
export interface AppConfig {
  readonly port: number;
  /** Listen address (HOST). */
  readonly host: string;
  /** Read models (and, without KurrentDB, the events). Null: start the embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  readonly kurrentDbUrl: string | null;
  readonly embeddedPostgres: EmbeddedPostgresSettings;
  readonly projections: {
    /** Run the projectors in this process (the default); off for an API-only instance. */
    readonly enabled: boolean;
    readonly batchSize: number;
    /** Events per batch while a projector catches up or rebuilds. */
    readonly catchUpBatchSize: number;
    readonly maxAttempts: number;
  };
  /** Longest a query may wait for its read model to reach a requested position. */
  readonly readWaitMaxMs: number;
  /** How long a command's Idempotency-Key stays held if its process stops renewing it (died). */
  readonly idempotencyLeaseSeconds: number;
  /** How far ahead of our clock a step's `at` may be and still count as now (clients' clocks drift). */
  readonly clockSkewMs: number;
  readonly logFormat: 'json' | 'text';
  readonly logLevel: string;
  /** Prometheus metrics: on the API port for admin/system tokens, or on their own port. */
  readonly metrics: { readonly enabled: boolean; readonly port: number | null };
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
  /** Alerts (advis): the run that raises them, escalation, and webhook delivery. */
  readonly alerts: {
    /** How often the alert run looks for changed and due records (it also runs after catch-up). */
    readonly schedulerCheckMs: number;
    /** Working days an alert may stay unacknowledged before the team leader gets one. */
    readonly escalationWorkingDays: number;
    /** Run the webhook delivery loop here (off: an instance that only serves and projects). */
    readonly deliveryEnabled: boolean;
    /** How often the delivery loop looks for webhook deliveries to send. */
    readonly deliveryPollMs: number;
    readonly deliveryTimeoutMs: number;
    /** First retry after this; each next one doubles (with jitter) up to the maximum. */
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** After this long since the first try a failing delivery is parked. */
    readonly retryForMs: number;
    /** The department whose youth unit gets the transition alerts (and escalates them). */
    readonly youthUnitDepartmentId: string;
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

export { ConfigError };

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function identityProvider(env: Environment): IdentityProvider | null {
  const { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience, AUTH_JWKS_URL: jwksUrl } = env;
  if (issuer && audience && jwksUrl) return { issuer, audience, jwksUrl };
  // Half a configuration must not quietly fall back to the development issuer.
  if (issuer || audience || jwksUrl) {
    throw new ConfigError('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL must be set together');
  }
  return null;
}

function roleMapping(env: Environment): Record<string, string> {
  const value = env.AUTH_ROLE_MAPPING;
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
function personDataMasterKey(env: Environment): Buffer | null {
  const value = env.PERSON_DATA_MASTER_KEY;
  if (!value) {
    if (env.DATABASE_URL || env.AUTH_ISSUER) {
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
  const e = readEnvironment(env);
  return {
    port: e.PORT,
    host: e.HOST ?? (e.DATABASE_URL ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: e.DATABASE_URL ?? null,
    kurrentDbUrl: e.KURRENTDB_URL ?? null,
    embeddedPostgres: {
      port: e.EMBEDDED_PG_PORT,
      dataDir: e.EMBEDDED_PG_DIR,
      sharedBuffersMb: e.EMBEDDED_PG_SHARED_BUFFERS_MB ?? aQuarterOfMemoryMb(),
      maxWalSizeMb: e.EMBEDDED_PG_MAX_WAL_SIZE_MB,
    },
    projections: {
      enabled: e.PROJECTIONS_ENABLED === 'true',
      batchSize: e.PROJECTION_BATCH_SIZE,
      catchUpBatchSize: e.PROJECTION_CATCH_UP_BATCH_SIZE,
      maxAttempts: e.PROJECTION_MAX_ATTEMPTS,
    },
    readWaitMaxMs: e.READ_WAIT_MAX_MS,
    idempotencyLeaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS,
    clockSkewMs: e.CLOCK_SKEW_MS,
    logFormat: e.LOG_FORMAT === 'text' ? 'text' : 'json',
    logLevel: e.LOG_LEVEL,
    metrics: { enabled: e.METRICS_ENABLED === 'true', port: e.METRICS_PORT ?? null },
    departmentsFile: e.DEPARTMENTS_FILE ?? null,
    transitions: {
      relevantCaseTypes: list(e.TRANSITION_CASE_TYPES),
      placementCaseTypes: list(e.PLACEMENT_CASE_TYPES),
      notStartedGraceDays: e.TRANSITION_NOT_STARTED_GRACE_DAYS,
      adultCaseworkerByAge: e.TRANSITION_ADULT_CASEWORKER_BY_AGE,
      decisionWarningMonthsBefore18: e.TRANSITION_DECISION_WARNING_MONTHS,
      schedulerCheckMs: e.TRANSITION_SCHEDULER_CHECK_MS,
    },
    coordination: {
      minDepartmentsForPrimaryContact: e.PRIMARY_CONTACT_MIN_DEPARTMENTS,
      minCaseworkersForPrimaryContact: e.PRIMARY_CONTACT_MIN_CASEWORKERS,
      changeNoticeWorkingDays: e.CHANGE_NOTICE_WORKING_DAYS,
    },
    casework: {
      acknowledgeWithinHours: e.INQUIRY_ACK_HOURS,
      deadlineWarningDays: e.PROCESSING_DEADLINE_WARNING_DAYS,
      postalDeliveryDays: e.POSTAL_DELIVERY_DAYS,
      fileAccessWorkingDays: e.FILE_ACCESS_WORKING_DAYS,
      noteRequiredChannels: list(e.NOTE_REQUIRED_CHANNELS),
      noteWithinWorkingDays: e.NOTE_WITHIN_WORKING_DAYS,
      complaintAnswerWorkingDays: e.COMPLAINT_ANSWER_WORKING_DAYS,
      processingDeadlinesFile: e.PROCESSING_DEADLINES_FILE ?? null,
      visitationWaitingDays: e.VISITATION_WAITING_DAYS,
    },
    alerts: {
      schedulerCheckMs: e.ALERT_SCHEDULER_CHECK_MS,
      escalationWorkingDays: e.ALERT_ESCALATION_WORKING_DAYS,
      deliveryEnabled: e.ALERT_DELIVERY_ENABLED === 'true',
      deliveryPollMs: e.ALERT_DELIVERY_POLL_MS,
      deliveryTimeoutMs: e.ALERT_DELIVERY_TIMEOUT_MS,
      retryBaseMs: e.ALERT_RETRY_BASE_MS,
      retryMaxMs: e.ALERT_RETRY_MAX_MS,
      retryForMs: e.ALERT_RETRY_FOR_MS,
      youthUnitDepartmentId: e.ALERT_YOUTH_UNIT_DEPARTMENT,
    },
    meetings: {
      chairDepartmentId: e.MEETING_CHAIR_DEPARTMENT,
      departmentIds: list(e.MEETING_DEPARTMENTS),
      agendaCutOffWorkingDays: e.AGENDA_CUT_OFF_WORKING_DAYS,
      turningSixteenWithinMonths: e.AGENDA_TURNING_16_WITHIN_MONTHS,
    },
    auth: {
      identityProvider: identityProvider(e),
      rolesClaim: e.AUTH_ROLES_CLAIM,
      departmentClaim: e.AUTH_DEPARTMENT_CLAIM,
      caseworkerClaim: e.AUTH_CASEWORKER_CLAIM,
      roleMapping: roleMapping(e),
    },
    corsOrigins: list(e.CORS_ORIGINS),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    personData: { masterKey: personDataMasterKey(e) },
  };
}
