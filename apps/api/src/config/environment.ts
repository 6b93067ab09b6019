import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

/**
 * Every environment variable the API and the worker read, with its type, range and default.
 * A new setting is one property here (decorators say the rule), one line in loadConfig and one
 * row in the README's configuration table (a test holds the three together).
 */

/** Whole numbers arrive as text; anything else stays text so IsInt names the variable. */
const WholeNumber = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );

const Integer = (min: number, max: number) => (target: object, property: string) => {
  WholeNumber()(target, property);
  IsInt()(target, property);
  Min(min)(target, property);
  Max(max)(target, property);
};

const COMMA_LIST = /^[^,\s]+(\s*,\s*[^,\s]+)*$/;
const CommaList = () =>
  Matches(COMMA_LIST, { message: '$property must be a comma-separated list of names' });

const Flag = () => IsIn(['true', 'false']);

export class Environment {
  @Integer(0, 65535) PORT = 3000;
  /** Listen address; unset: 127.0.0.1 on the embedded default, every interface otherwise. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:[\]-]+$/, { message: '$property must be a host name or IP address' })
  HOST: string | undefined = undefined;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// URL' })
  DATABASE_URL: string | undefined = undefined;
  @IsOptional()
  @Matches(/^(kurrentdb|kdb|esdb)(\+discover)?:\/\/\S+$/, {
    message: '$property must be a kurrentdb:// or kurrentdb+discover:// connection string',
  })
  KURRENTDB_URL: string | undefined = undefined;
  @IsString() EMBEDDED_PG_DIR = '.data/pg';
  @Integer(1, 65535) EMBEDDED_PG_PORT = 54329;
  /** Unset: a quarter of the machine's memory (see `aQuarterOfMemoryMb` in app-config). */
  @IsOptional()
  @Integer(16, 1_048_576)
  EMBEDDED_PG_SHARED_BUFFERS_MB: number | undefined = undefined;
  @Integer(64, 1_048_576) EMBEDDED_PG_MAX_WAL_SIZE_MB = 8192;

  @Flag() PROJECTIONS_ENABLED = 'true';
  @Integer(1, 10_000) PROJECTION_BATCH_SIZE = 500;
  @Integer(1, 100_000) PROJECTION_CATCH_UP_BATCH_SIZE = 5000;
  @Integer(1, 100) PROJECTION_MAX_ATTEMPTS = 3;
  @Integer(0, 300_000) READ_WAIT_MAX_MS = 5000;
  @Integer(1, 3600) IDEMPOTENCY_LEASE_SECONDS = 10;
  @Integer(0, 600_000) CLOCK_SKEW_MS = 5000;

  @IsIn(['json', 'text']) LOG_FORMAT = 'json';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace']) LOG_LEVEL = 'info';
  /** Unset: /metrics on the API port for admin/system tokens; set: a separate port, no token. */
  @IsOptional() @Integer(1, 65535) METRICS_PORT: number | undefined = undefined;
  @Flag() METRICS_ENABLED = 'true';

  @IsOptional() @IsString() DEPARTMENTS_FILE: string | undefined = undefined;

  @CommaList() TRANSITION_CASE_TYPES = 'disability-support,placement-out-of-home';
  @CommaList() PLACEMENT_CASE_TYPES = 'placement-out-of-home';
  @Integer(0, 365) TRANSITION_NOT_STARTED_GRACE_DAYS = 30;
  @Integer(16, 18) TRANSITION_ADULT_CASEWORKER_BY_AGE = 17;
  @Integer(0, 24) TRANSITION_DECISION_WARNING_MONTHS = 3;
  @Integer(1000, 86_400_000) TRANSITION_SCHEDULER_CHECK_MS = 300_000;

  @Integer(1, 100) PRIMARY_CONTACT_MIN_DEPARTMENTS = 2;
  @Integer(1, 100) PRIMARY_CONTACT_MIN_CASEWORKERS = 2;
  @Integer(0, 60) CHANGE_NOTICE_WORKING_DAYS = 5;

  @Integer(1, 8760) INQUIRY_ACK_HOURS = 48;
  @Integer(0, 365) PROCESSING_DEADLINE_WARNING_DAYS = 14;
  @Integer(0, 30) POSTAL_DELIVERY_DAYS = 5;
  @Integer(1, 60) FILE_ACCESS_WORKING_DAYS = 7;
  @CommaList() NOTE_REQUIRED_CHANNELS = 'phone,sms';
  @Integer(0, 60) NOTE_WITHIN_WORKING_DAYS = 3;
  @Integer(1, 365) COMPLAINT_ANSWER_WORKING_DAYS = 20;
  @IsOptional() @IsString() PROCESSING_DEADLINES_FILE: string | undefined = undefined;
  @Integer(0, 365) VISITATION_WAITING_DAYS = 14;

  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a department id' })
  MEETING_CHAIR_DEPARTMENT = 'CBU';
  @CommaList() MEETING_DEPARTMENTS = 'CBU,CHP,JOBCENTER,UU,UNGEENHEDEN';
  @Integer(0, 20) AGENDA_CUT_OFF_WORKING_DAYS = 5;
  @Integer(1, 24) AGENDA_TURNING_16_WITHIN_MONTHS = 3;

  @IsOptional() @IsString() AUTH_ISSUER: string | undefined = undefined;
  @IsOptional() @IsString() AUTH_AUDIENCE: string | undefined = undefined;
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  AUTH_JWKS_URL: string | undefined = undefined;
  @IsString() AUTH_ROLES_CLAIM = 'roles';
  @IsString() AUTH_DEPARTMENT_CLAIM = 'department';
  @IsString() AUTH_CASEWORKER_CLAIM = 'caseworker_id';
  /** Checked as JSON by loadConfig (a decorator cannot say "an object of strings" better). */
  @IsOptional() @IsString() AUTH_ROLE_MAPPING: string | undefined = undefined;
  @IsOptional()
  @Matches(/^https?:\/\/[^,\s]+(\s*,\s*https?:\/\/[^,\s]+)*$/, {
    message: '$property must be a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS: string | undefined = undefined;
  @Integer(1, 1_000_000) RATE_LIMIT_PER_MINUTE = 600;

  @Integer(1000, 86_400_000) ALERT_SCHEDULER_CHECK_MS = 60_000;
  @Integer(1, 60) ALERT_ESCALATION_WORKING_DAYS = 2;
  @Flag() ALERT_DELIVERY_ENABLED = 'true';
  @Integer(10, 3_600_000) ALERT_DELIVERY_POLL_MS = 1_000;
  @Integer(100, 600_000) ALERT_DELIVERY_TIMEOUT_MS = 10_000;
  @Integer(1, 86_400_000) ALERT_RETRY_BASE_MS = 30_000;
  @Integer(1, 86_400_000) ALERT_RETRY_MAX_MS = 3_600_000;
  @Integer(1, 30 * 86_400_000) ALERT_RETRY_FOR_MS = 24 * 3_600_000;
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a department id' })
  ALERT_YOUTH_UNIT_DEPARTMENT = 'UNGEENHEDEN';
  /** The value is a secret: its rule's message never quotes it (length is checked in loadConfig). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, {
    message: '$property must be base64 of exactly 32 bytes',
  })
  PERSON_DATA_MASTER_KEY: string | undefined = undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The names of every variable, in declaration order. */
export function environmentVariables(): string[] {
  return Object.keys(new Environment());
}

/**
 * Reads and checks the environment: an empty value counts as unset; any broken rule throws one
 * ConfigError naming each variable and its rule, never the value (some are secrets).
 */
export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const given: Record<string, string> = {};
  for (const name of environmentVariables()) {
    const value = env[name]?.trim();
    if (value) given[name] = value;
  }
  const environment = plainToInstance(Environment, given);
  const errors = validateSync(environment, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const rules = errors.map((error) => {
      const constraints = error.constraints ?? {};
      // Not a whole number says it all; the range rules would only repeat it.
      if (constraints.isInt) return constraints.isInt;
      return Object.values(constraints).join(' and ') || `${error.property} is not valid`;
    });
    throw new ConfigError(rules.join('; '));
  }
  return environment;
}
