/**
 * What an agenda item is about, as a reader sees it: a family, a young person, a duty record or
 * an agreement, named through PageLabels and (on the caseworkers' pages) linked to the JSON API.
 */
import type { AgendaItem } from '@tovholder/domain';
import { DUTY_KIND_TEXTS } from './danish-text';
import { markup, type SafeHtml } from './html';
import { labelOf, type PageLabels } from './page-labels';

const segment = (id: string): string => encodeURIComponent(id);

/** The JSON API path of a duty record, by its kind; kinds not listed get no link. */
const DUTY_PATHS: Readonly<Record<string, (id: string) => string>> = {
  inquiry: (id) => `/inquiries/${segment(id)}`,
  application: (id) => `/applications/${segment(id)}`,
  complaint: (id) => `/complaints/${segment(id)}`,
  'file-access': (id) => `/file-access-requests/${segment(id)}`,
  // The journal's record id is its case's id.
  journal: (id) => `/cases/${segment(id)}/journal`,
  meeting: (id) => `/meetings/${segment(id)}`,
};

export const familyPath = (familyId: string): string => `/families/${segment(familyId)}`;
export const transitionPath = (personId: string): string => `/transitions/${segment(personId)}`;

/** `<recordKind>:<recordId>` split at the first colon. */
function dutyRecord(subjectId: string): { kind: string; id: string } {
  const colon = subjectId.indexOf(':');
  return colon === -1
    ? { kind: subjectId, id: '' }
    : { kind: subjectId.slice(0, colon), id: subjectId.slice(colon + 1) };
}

function dutyPath(subjectId: string): string | null {
  const { kind, id } = dutyRecord(subjectId);
  const path = Object.hasOwn(DUTY_PATHS, kind) ? DUTY_PATHS[kind] : undefined;
  return path === undefined || id === '' ? null : path(id);
}

export interface SubjectOptions {
  /** Link to the JSON API (caseworkers' pages); a family's extract has no links. */
  readonly links: boolean;
  /** On a family's extract: the family's own label, used instead of a lookup. */
  readonly familyLabel?: string;
}

/** Who or what an item is about: a link (or plain text) and, for duties and agreements, whom. */
export function subjectOf(item: AgendaItem, labels: PageLabels, options: SubjectOptions): SafeHtml {
  const maybeLink = (path: string | null, text: string): SafeHtml =>
    options.links && path !== null ? markup`<a href="${path}">${text}</a>` : markup`${text}`;
  const family = (id: string): string => options.familyLabel ?? labelOf(labels, 'family', id);
  const person = (id: string): string => labelOf(labels, 'person', id);
  /** The person (else the family) a duty or agreement concerns. */
  const concerning = (): string | null =>
    item.personId !== null
      ? person(item.personId)
      : item.familyId !== null
        ? family(item.familyId)
        : null;
  const withConcerning = (head: SafeHtml): SafeHtml => {
    const whom = concerning();
    return whom === null ? head : markup`${head} · ${whom}`;
  };

  switch (item.subject.kind) {
    case 'family':
      return maybeLink(familyPath(item.subject.id), family(item.subject.id));
    case 'young-person': {
      const name = maybeLink(transitionPath(item.subject.id), person(item.subject.id));
      return item.familyId === null
        ? name
        : markup`${name} <span class="family-of">(familie: ${family(item.familyId)})</span>`;
    }
    case 'duty': {
      const { kind } = dutyRecord(item.subject.id);
      const text = Object.hasOwn(DUTY_KIND_TEXTS, kind) ? (DUTY_KIND_TEXTS[kind] ?? kind) : kind;
      return withConcerning(maybeLink(dutyPath(item.subject.id), text));
    }
    case 'agreement': {
      const path =
        item.familyId !== null
          ? familyPath(item.familyId)
          : item.personId !== null
            ? transitionPath(item.personId)
            : null;
      return withConcerning(maybeLink(path, 'Aftale fra tidligere møde'));
    }
  }
}
