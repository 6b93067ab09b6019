import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { Environment, environmentVariables, readEnvironment } from './environment';

const KEY = Buffer.alloc(32, 3).toString('base64');

/** Per variable: a value it takes, one it refuses, and the rule the refusal must name. */
const RULES: Record<string, { good: string; bad: string; rule: RegExp }> = {
  PORT: { good: '8080', bad: '70000', rule: /PORT must not be greater than 65535/ },
  HOST: { good: '0.0.0.0', bad: 'local host', rule: /HOST must be a host name or IP address/ },
  DATABASE_URL: { good: 'postgres://db/x', bad: 'mysql://db/x', rule: /postgres:\/\/ URL/ },
  KURRENTDB_URL: {
    good: 'kurrentdb://localhost:2113?tls=false',
    bad: 'http://localhost:2113',
    rule: /KURRENTDB_URL must be a kurrentdb:\/\//,
  },
  EMBEDDED_PG_DIR: { good: '/tmp/pg', bad: '', rule: /./ },
  EMBEDDED_PG_PORT: { good: '55432', bad: '0', rule: /EMBEDDED_PG_PORT must not be less than 1/ },
  EMBEDDED_PG_SHARED_BUFFERS_MB: {
    good: '128',
    bad: '8',
    rule: /EMBEDDED_PG_SHARED_BUFFERS_MB must not be less than 16/,
  },
  EMBEDDED_PG_MAX_WAL_SIZE_MB: {
    good: '1024',
    bad: '32',
    rule: /EMBEDDED_PG_MAX_WAL_SIZE_MB must not be less than 64/,
  },
  PROJECTIONS_ENABLED: { good: 'false', bad: 'no', rule: /PROJECTIONS_ENABLED must be one of/ },
  PROJECTION_BATCH_SIZE: {
    good: '100',
    bad: '0',
    rule: /PROJECTION_BATCH_SIZE must not be less than 1/,
  },
  PROJECTION_CATCH_UP_BATCH_SIZE: {
    good: '20000',
    bad: '0',
    rule: /PROJECTION_CATCH_UP_BATCH_SIZE must not be less than 1/,
  },
  PROJECTION_MAX_ATTEMPTS: {
    good: '5',
    bad: 'three',
    rule: /PROJECTION_MAX_ATTEMPTS must be an integer/,
  },
  READ_WAIT_MAX_MS: { good: '0', bad: '-1', rule: /READ_WAIT_MAX_MS must be an integer/ },
  CLOCK_SKEW_MS: { good: '1000', bad: '-1', rule: /CLOCK_SKEW_MS must be an integer/ },
  IDEMPOTENCY_LEASE_SECONDS: {
    good: '5',
    bad: '0',
    rule: /IDEMPOTENCY_LEASE_SECONDS must not be less than 1/,
  },
  LOG_FORMAT: { good: 'text', bad: 'jsno', rule: /LOG_FORMAT must be one of .*json, text/ },
  LOG_LEVEL: { good: 'debug', bad: 'verbose', rule: /LOG_LEVEL must be one of/ },
  METRICS_PORT: { good: '9464', bad: '1.5', rule: /METRICS_PORT must be an integer/ },
  METRICS_ENABLED: { good: 'false', bad: '0', rule: /METRICS_ENABLED must be one of/ },
  DEPARTMENTS_FILE: { good: 'departments.json', bad: '', rule: /./ },
  TRANSITION_CASE_TYPES: { good: 'a, b', bad: 'a,,b', rule: /TRANSITION_CASE_TYPES must be a/ },
  PLACEMENT_CASE_TYPES: { good: 'a', bad: ',', rule: /PLACEMENT_CASE_TYPES must be a/ },
  TRANSITION_NOT_STARTED_GRACE_DAYS: {
    good: '0',
    bad: '366',
    rule: /TRANSITION_NOT_STARTED_GRACE_DAYS must not be greater than 365/,
  },
  TRANSITION_ADULT_CASEWORKER_BY_AGE: {
    good: '18',
    bad: '15',
    rule: /TRANSITION_ADULT_CASEWORKER_BY_AGE must not be less than 16/,
  },
  TRANSITION_DECISION_WARNING_MONTHS: {
    good: '6',
    bad: '25',
    rule: /TRANSITION_DECISION_WARNING_MONTHS must not be greater than 24/,
  },
  TRANSITION_SCHEDULER_CHECK_MS: {
    good: '60000',
    bad: '999',
    rule: /TRANSITION_SCHEDULER_CHECK_MS must not be less than 1000/,
  },
  PRIMARY_CONTACT_MIN_DEPARTMENTS: {
    good: '3',
    bad: '0',
    rule: /PRIMARY_CONTACT_MIN_DEPARTMENTS must not be less than 1/,
  },
  PRIMARY_CONTACT_MIN_CASEWORKERS: {
    good: '3',
    bad: '0',
    rule: /PRIMARY_CONTACT_MIN_CASEWORKERS must not be less than 1/,
  },
  CHANGE_NOTICE_WORKING_DAYS: {
    good: '10',
    bad: '61',
    rule: /CHANGE_NOTICE_WORKING_DAYS must not be greater than 60/,
  },
  INQUIRY_ACK_HOURS: { good: '24', bad: '0', rule: /INQUIRY_ACK_HOURS must not be less than 1/ },
  PROCESSING_DEADLINE_WARNING_DAYS: {
    good: '7',
    bad: '400',
    rule: /PROCESSING_DEADLINE_WARNING_DAYS must not be greater than 365/,
  },
  POSTAL_DELIVERY_DAYS: {
    good: '8',
    bad: '31',
    rule: /POSTAL_DELIVERY_DAYS must not be greater than 30/,
  },
  FILE_ACCESS_WORKING_DAYS: {
    good: '10',
    bad: '0',
    rule: /FILE_ACCESS_WORKING_DAYS must not be less than 1/,
  },
  NOTE_REQUIRED_CHANNELS: { good: 'phone', bad: 'phone sms', rule: /NOTE_REQUIRED_CHANNELS/ },
  NOTE_WITHIN_WORKING_DAYS: {
    good: '1',
    bad: '61',
    rule: /NOTE_WITHIN_WORKING_DAYS must not be greater than 60/,
  },
  COMPLAINT_ANSWER_WORKING_DAYS: {
    good: '30',
    bad: '0',
    rule: /COMPLAINT_ANSWER_WORKING_DAYS must not be less than 1/,
  },
  PROCESSING_DEADLINES_FILE: { good: 'deadlines.json', bad: '', rule: /./ },
  VISITATION_WAITING_DAYS: {
    good: '7',
    bad: 'x',
    rule: /VISITATION_WAITING_DAYS must be an integer/,
  },
  MEETING_CHAIR_DEPARTMENT: {
    good: 'UU',
    bad: 'C B U',
    rule: /MEETING_CHAIR_DEPARTMENT must be a department id/,
  },
  MEETING_DEPARTMENTS: { good: 'CBU,UU', bad: 'CBU;UU x', rule: /MEETING_DEPARTMENTS must be a/ },
  AGENDA_CUT_OFF_WORKING_DAYS: {
    good: '3',
    bad: '21',
    rule: /AGENDA_CUT_OFF_WORKING_DAYS must not be greater than 20/,
  },
  AGENDA_TURNING_16_WITHIN_MONTHS: {
    good: '6',
    bad: '0',
    rule: /AGENDA_TURNING_16_WITHIN_MONTHS must not be less than 1/,
  },
  AUTH_ISSUER: { good: 'https://idp', bad: '', rule: /./ },
  AUTH_AUDIENCE: { good: 'tovholder', bad: '', rule: /./ },
  AUTH_JWKS_URL: { good: 'http://idp:8080/jwks', bad: 'idp/jwks', rule: /AUTH_JWKS_URL must be/ },
  AUTH_ROLES_CLAIM: { good: 'groups', bad: '', rule: /./ },
  AUTH_DEPARTMENT_CLAIM: { good: 'dept', bad: '', rule: /./ },
  AUTH_CASEWORKER_CLAIM: { good: 'employee', bad: '', rule: /./ },
  AUTH_ROLE_MAPPING: { good: '{"a":"admin"}', bad: '{"a":1}', rule: /AUTH_ROLE_MAPPING must map/ },
  CORS_ORIGINS: {
    good: 'https://a.example, http://localhost:5173',
    bad: 'a.example',
    rule: /CORS_ORIGINS must be a comma-separated list of http\(s\) origins/,
  },
  RATE_LIMIT_PER_MINUTE: {
    good: '60',
    bad: '0',
    rule: /RATE_LIMIT_PER_MINUTE must not be less than 1/,
  },
  ALERT_SCHEDULER_CHECK_MS: {
    good: '5000',
    bad: '999',
    rule: /ALERT_SCHEDULER_CHECK_MS must not be less than 1000/,
  },
  ALERT_ESCALATION_WORKING_DAYS: {
    good: '3',
    bad: '0',
    rule: /ALERT_ESCALATION_WORKING_DAYS must not be less than 1/,
  },
  ALERT_DELIVERY_ENABLED: {
    good: 'false',
    bad: 'no',
    rule: /ALERT_DELIVERY_ENABLED must be one of/,
  },
  ALERT_DELIVERY_POLL_MS: {
    good: '100',
    bad: 'soon',
    rule: /ALERT_DELIVERY_POLL_MS must be an integer/,
  },
  ALERT_DELIVERY_TIMEOUT_MS: {
    good: '2000',
    bad: '50',
    rule: /ALERT_DELIVERY_TIMEOUT_MS must not be less than 100/,
  },
  ALERT_RETRY_BASE_MS: {
    good: '1000',
    bad: '0',
    rule: /ALERT_RETRY_BASE_MS must not be less than 1/,
  },
  ALERT_RETRY_MAX_MS: {
    good: '60000',
    bad: '0',
    rule: /ALERT_RETRY_MAX_MS must not be less than 1/,
  },
  ALERT_RETRY_FOR_MS: {
    good: '3600000',
    bad: '1.5',
    rule: /ALERT_RETRY_FOR_MS must be an integer/,
  },
  ALERT_YOUTH_UNIT_DEPARTMENT: {
    good: 'UU',
    bad: 'Unge enheden',
    rule: /ALERT_YOUTH_UNIT_DEPARTMENT must be a department id/,
  },
  PERSON_DATA_MASTER_KEY: {
    good: KEY,
    bad: 'c2VjcmV0',
    rule: /^PERSON_DATA_MASTER_KEY must be base64 of exactly 32 bytes$/,
  },
};

/** Free-text settings: any non-empty text is valid, and empty means unset (the default). */
const FREE_TEXT = new Set(
  Object.entries(RULES)
    .filter(([, { bad }]) => bad === '')
    .map(([name]) => name),
);

describe('configuration: every variable has its type and range', () => {
  it('the table below covers every variable of the environment class', () => {
    expect(Object.keys(RULES).sort()).toEqual(environmentVariables().sort());
  });

  it('the defaults are valid', () => {
    expect(() => readEnvironment({})).not.toThrow();
  });

  for (const [name, { good, bad, rule }] of Object.entries(RULES)) {
    it(`${name}: takes ${JSON.stringify(good)}${FREE_TEXT.has(name) ? '' : `, refuses ${JSON.stringify(bad)} naming the rule`}`, () => {
      // Settings that only count together with others get their partners.
      const partners: NodeJS.ProcessEnv = name.startsWith('AUTH_')
        ? {
            AUTH_ISSUER: 'i',
            AUTH_AUDIENCE: 'a',
            AUTH_JWKS_URL: 'https://idp/jwks',
            PERSON_DATA_MASTER_KEY: KEY,
          }
        : { PERSON_DATA_MASTER_KEY: KEY };
      expect(() => loadConfig({ ...partners, [name]: good })).not.toThrow();
      if (FREE_TEXT.has(name)) {
        expect(readEnvironment({ [name]: '  ' })[name as keyof Environment]).toEqual(
          new Environment()[name as keyof Environment],
        );
        return;
      }
      let message = '';
      try {
        loadConfig({ ...partners, [name]: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(rule);
      // The refusal names the rule, never the value (some values are secrets).
      expect(message).not.toContain(bad);
    });
  }

  it('several broken rules come in one message', () => {
    expect(() => readEnvironment({ PORT: 'x', LOG_FORMAT: 'xml' })).toThrow(
      /^PORT must be an integer number; LOG_FORMAT must be one of the following values: json, text$/,
    );
  });

  it('HOST defaults to loopback on the embedded default, every interface with a database', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', PERSON_DATA_MASTER_KEY: KEY }).host).toBe(
      '0.0.0.0',
    );
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('loadConfig reads no variable the environment class does not declare', () => {
    const read = new Set<string>();
    const env: NodeJS.ProcessEnv = new Proxy(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') read.add(name);
          return undefined;
        },
      },
    );
    loadConfig(env);
    const declared = new Set(environmentVariables());
    expect([...read].filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe("the README's configuration table", () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('## Authentication'),
  );
  const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]*) \|/gm)].map(
    ([, name, fallback]) => ({ name: name ?? '', fallback: (fallback ?? '').trim() }),
  );

  it('lists exactly the variables of the environment class', () => {
    expect(rows.map((row) => row.name).sort()).toEqual(environmentVariables().sort());
  });

  it("gives each variable's default as the class does", () => {
    const defaults = new Map<string, string | number | undefined>(
      Object.entries(new Environment()),
    );
    for (const { name, fallback } of rows) {
      const value = defaults.get(name);
      if (value === undefined) expect(`${name}: ${fallback}`).toMatch(/: \*\(unset/);
      else expect(`${name}: ${fallback}`).toBe(`${name}: \`${String(value)}\``);
    }
  });
});
