import {
  APPLICATION_LETTER_CHANNELS,
  COMPLAINT_TOPICS,
  CONTACT_CHANNELS,
  DELAY_REASONS,
  DIALOGUE_PARTIES,
  FAMILY_ROLES,
  INQUIRY_POSTPONEMENT_REASONS,
  TRANSITION_TRACKS,
} from '@tovholder/domain';
import { SHORT_TEXT_MAX_LENGTH } from '@tovholder/domain/shared/free-text';
import Ajv, { type ValidateFunction } from 'ajv/dist/2020';
import { DEPARTMENT_AREAS } from '../departments/default-departments';
import { DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_DATE_PATTERN } from '../http/fields';
import { CPR_SHAPED, SOURCE_KEY_PATTERN, SOURCE_SYSTEM_PATTERN } from '../source-keys/source-key';
import {
  isImportTimestamp,
  RECORD_KINDS,
  TIMESTAMP_PATTERN,
  type ImportRecord,
  type RecordKind,
} from './import-records';

/**
 * The import format as a JSON Schema (2020-12), built from the same constants as the record
 * classes (import-records.ts). docs/import.schema.json is this object, written out by
 * `node -r @swc-node/register apps/api/src/imports/write-import-schema.ts`; a test keeps the two
 * equal, and another that the schema accepts nothing the record classes refuse.
 */

/**
 * Text of 1..max characters. The schema counts code points, the record classes a little less (an
 * emoji's variation selector is free), so the schema is the stricter at the top and equal at 1.
 */
const text = (max: number, extra: object = {}): object => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  ...extra,
});

const record = (
  kind: RecordKind,
  required: readonly string[],
  properties: Record<string, object>,
  extra: object = {},
): object => ({
  ...extra,
  type: 'object',
  additionalProperties: false,
  required: ['kind', ...required],
  properties: { kind: { const: kind }, ...properties },
});

const list = (max: number, items: object, extra: object = {}): object => ({
  ...extra,
  type: 'array',
  maxItems: max,
  items,
});

const item = (required: readonly string[], properties: Record<string, object>): object => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const ref = (name: string, extra: object = {}): object => ({ $ref: `#/$defs/${name}`, ...extra });

/** One holder of a succession (a case's caseworker, a family's primary contact) from `start`. */
const succession = (start: 'from' | 'since'): object =>
  item(['caseworker', start], {
    caseworker: ref('sourceKey'),
    [start]: ref('timestamp'),
    reason: ref('reason'),
    toldAt: ref('timestamp'),
    toldChannel: ref('channel'),
  });

export const IMPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://tovholder.example/import.schema.json',
  title: 'Tovholder import record',
  description:
    'One line of an import file (NDJSON: one JSON object per line, UTF-8). Records refer to earlier records by their source keys, so the order is: departments, caseworkers, persons, families, cases, then the open inquiries, applications, complaints and transitions in progress. Dates are ISO 8601 with time and zone (2019-03-04T09:30:00Z); none may be in the future. Unknown fields are refused, as by the API, and so is null: leave an optional field out.',
  oneOf: RECORD_KINDS.map((kind) => ref(kind)),
  $defs: {
    timestamp: { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN.source },
    departmentId: { type: 'string', pattern: DEPARTMENT_ID_PATTERN.source },
    channel: { enum: [...CONTACT_CHANNELS] },
    reason: text(SHORT_TEXT_MAX_LENGTH),
    sourceKey: {
      description:
        "The resource's key in the source system, unique per system. Never a CPR number: ten digits (optionally split 6-4) are refused.",
      type: 'object',
      additionalProperties: false,
      required: ['system', 'key'],
      properties: {
        system: {
          type: 'string',
          pattern: SOURCE_SYSTEM_PATTERN.source,
          examples: ['DUBU', 'Nexus', 'Momentum'],
        },
        key: {
          type: 'string',
          pattern: SOURCE_KEY_PATTERN.source,
          not: { pattern: CPR_SHAPED.source },
          examples: ['2019-004711'],
        },
      },
    },
    department: record('department', ['id', 'name', 'area'], {
      id: ref('departmentId'),
      name: text(200),
      area: { enum: [...DEPARTMENT_AREAS] },
    }),
    caseworker: record('caseworker', ['source', 'departmentId', 'name', 'registeredAt'], {
      source: ref('sourceKey'),
      departmentId: ref('departmentId'),
      name: text(200, { description: 'Kept in the caseworker directory, never in an event' }),
      registeredAt: ref('timestamp'),
    }),
    person: record('person', ['source', 'cpr', 'name'], {
      source: ref('sourceKey'),
      cpr: {
        type: 'string',
        description:
          'DDMMYY-SSSS or DDMMYYSSSS; validated as POST /persons does and stored encrypted in the person registry. A person registered already (same CPR number) keeps their id.',
      },
      name: text(200, { description: 'Stored encrypted' }),
      exemptFromDigitalPost: { type: 'boolean' },
    }),
    family: record('family', ['source', 'registeredAt', 'members'], {
      source: ref('sourceKey'),
      registeredAt: ref('timestamp'),
      members: {
        ...list(
          50,
          item(['person', 'role', 'addedAt'], {
            person: ref('sourceKey'),
            role: { enum: [...FAMILY_ROLES] },
            addedAt: ref('timestamp'),
          }),
        ),
        minItems: 1,
      },
      primaryContacts: list(200, succession('since'), {
        description:
          "The family's primary contacts in order: the first is assigned at `since`, each later one takes over from the one before (a handover, with `reason`). `toldAt` is when the family was told (then `toldChannel` is required); without it the change counts as not told.",
      }),
    }),
    case: record('case', ['source', 'person', 'departmentId', 'caseType', 'openedAt'], {
      source: ref('sourceKey'),
      person: ref('sourceKey'),
      departmentId: ref('departmentId'),
      caseType: text(64),
      openedAt: ref('timestamp'),
      caseworkers: list(200, succession('from'), {
        description:
          "The case's caseworkers in order: the first is assigned at `from`, each later one is a change of caseworker (with `reason`; `toldAt`/`toldChannel` when the citizen was told).",
      }),
      closedAt: ref('timestamp'),
      closeReason: ref('reason'),
    }),
    isoDate: { type: 'string', pattern: ISO_DATE_PATTERN.source, examples: ['2026-12-10'] },
    inquiry: record(
      'inquiry',
      ['source', 'person', 'departmentId', 'channel', 'receivedAt'],
      {
        source: ref('sourceKey'),
        person: ref('sourceKey'),
        departmentId: ref('departmentId'),
        case: ref('sourceKey', { description: 'The case it is about, if any' }),
        channel: ref('channel'),
        receivedAt: ref('timestamp'),
        acknowledgement: item(['channel', 'answerPromisedBy', 'at'], {
          channel: ref('channel'),
          answerPromisedBy: ref('isoDate'),
          at: ref('timestamp'),
        }),
        postponements: list(
          50,
          item(['answerPromisedBy', 'reason', 'at'], {
            answerPromisedBy: ref('isoDate'),
            reason: { enum: [...INQUIRY_POSTPONEMENT_REASONS] },
            at: ref('timestamp'),
          }),
        ),
      },
      {
        description:
          'An open inquiry (not yet answered): received, perhaps acknowledged with the answer date promised, perhaps postponed to a later date. Every date is on or after `receivedAt`; a promised date is not before the day it was given, and each postponement promises a later one.',
      },
    ),
    application: record(
      'application',
      ['source', 'case', 'applicationDate', 'receivedAt'],
      {
        source: ref('sourceKey'),
        case: ref('sourceKey'),
        applicationDate: ref('isoDate'),
        receivedAt: ref('timestamp'),
        delayNotices: list(
          50,
          item(['channel', 'expectedDecisionBy', 'reason', 'at'], {
            channel: { enum: [...APPLICATION_LETTER_CHANNELS] },
            expectedDecisionBy: ref('isoDate'),
            reason: { enum: [...DELAY_REASONS] },
            at: ref('timestamp'),
          }),
        ),
      },
      {
        description:
          "An open application (no decision yet) in an open case of the file or of an earlier import. It gets the processing deadline published today for the case's type, as `POST /cases/{id}/applications` does. `applicationDate` is not after the day of `receivedAt`; a notice of delay names a date after the deadline (or after the previous notice's date).",
      },
    ),
    complaint: record(
      'complaint',
      ['source', 'departmentId', 'about', 'channel', 'receivedAt'],
      {
        source: ref('sourceKey'),
        departmentId: ref('departmentId'),
        person: ref('sourceKey'),
        case: ref('sourceKey'),
        about: { enum: [...COMPLAINT_TOPICS] },
        channel: ref('channel'),
        receivedAt: ref('timestamp'),
      },
      { description: 'An open complaint (not yet resolved). Without `person` it is anonymous.' },
    ),
    transition: record(
      'transition',
      ['source', 'person', 'startedBy', 'startedAt', 'inDialogueWith'],
      {
        source: ref('sourceKey'),
        person: ref('sourceKey'),
        startedBy: ref('sourceKey', { description: 'The caseworker who started the preparation' }),
        startedAt: ref('timestamp'),
        inDialogueWith: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: [...DIALOGUE_PARTIES] },
        },
        track: item(['track', 'chosenAt'], {
          track: { enum: [...TRANSITION_TRACKS] },
          note: ref('reason', { description: "Required for track 'other'" }),
          chosenAt: ref('timestamp'),
        }),
        adultCaseworker: item(['caseworker', 'departmentId', 'assignedAt'], {
          caseworker: ref('sourceKey'),
          departmentId: ref('departmentId'),
          assignedAt: ref('timestamp'),
        }),
        adultAssessmentStartedAt: ref('timestamp', {
          description: 'Needs `adultCaseworker`: the adult side does the assessment',
        }),
      },
      {
        description:
          "A young person's transition to the adult side, started and not yet handed over. Every date is on or after `startedAt`. The 16th birthday's due event is not imported: the transition scheduler records it after the import, as for anyone in scope.",
      },
    ),
  },
} as const;

type RecordCheck = ValidateFunction<ImportRecord>;

let checks: ReadonlyMap<RecordKind, RecordCheck> | null = null;

/**
 * The schema compiled once, a check per record kind. The format `date-time` is the record
 * classes' own timestamp rule, so the schema's verdict is theirs.
 */
function compiledChecks(): ReadonlyMap<RecordKind, RecordCheck> {
  if (checks) return checks;
  // Referenced definitions (source keys, dates) compiled once each: less code to generate. The
  // schema is checked against the 2020-12 meta-schema by its test, not at every import's start.
  const ajv = new Ajv({
    strict: true,
    allowMatchingProperties: true,
    inlineRefs: false,
    validateSchema: false,
  });
  ajv.addFormat('date-time', { type: 'string', validate: isImportTimestamp });
  ajv.addSchema(IMPORT_SCHEMA);
  checks = new Map(
    RECORD_KINDS.map((kind) => {
      const check = ajv.getSchema<ImportRecord>(`${IMPORT_SCHEMA.$id}#/$defs/${kind}`);
      if (!check) throw new Error(`the import schema has no record kind ${kind}`);
      return [kind, check];
    }),
  );
  return checks;
}

/**
 * Whether a parsed line is a valid record of its kind by the schema: a fast check that accepts
 * only what the record classes accept (test/import-schema.spec.ts). A line it refuses is
 * validated by the classes, whose messages the report gives, as the API's would.
 */
export function matchesImportSchema(kind: RecordKind, value: unknown): value is ImportRecord {
  return compiledChecks().get(kind)?.(value) ?? false;
}
