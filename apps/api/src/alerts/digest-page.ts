import type { IsoDate } from '@tovholder/domain/shared/calendar-dates';
import {
  DUTY_KIND_TEXTS,
  danishDate,
  danishDateTime,
  flagText,
} from '../meeting-pages/danish-text';
import { markup, type SafeHtml } from '../meeting-pages/html';
import { page } from '../meeting-pages/layout';
import type { AlertView } from './alerts.queries';

export interface AlertDigest {
  readonly date: IsoDate;
  /** Whose digest, as ids: a caseworker, or a department's team leader. */
  readonly for: { readonly caseworkerId: string | null; readonly departmentId: string | null };
  readonly open: number;
  readonly overdue: number;
  readonly escalated: number;
  readonly alerts: readonly AlertView[];
}

const ROLE_TEXTS: Readonly<Record<string, string>> = {
  caseworker: 'Sagsbehandler',
  department: 'Afdelingen',
  'team-leader': 'Teamleder (eskaleret)',
};

function dueText(due: string): string {
  return due.includes('T') ? danishDateTime(due) : danishDate(due);
}

/** "Dine åbne advis": the day's open alerts as a printable Danish page (ids, never names). */
export function renderDigestPage(digest: AlertDigest): string {
  const rows: SafeHtml[] = digest.alerts.map(
    (alert) => markup`<tr>
<td>${flagText(alert.code)}${alert.type === 'alert.escalated' ? markup`<span class="badge">Eskaleret</span>` : null}</td>
<td>${DUTY_KIND_TEXTS[alert.subject.kind] ?? alert.subject.kind}<br><small>${alert.subject.id}</small></td>
<td${alert.severity === 'overdue' ? markup` class="overdue"` : null}>${dueText(alert.due)}</td>
<td>${danishDateTime(alert.since)}</td>
<td>${ROLE_TEXTS[alert.responsible.role] ?? alert.responsible.role} (${alert.responsible.departmentId})</td>
</tr>`,
  );
  const body = markup`<h1>Dine åbne advis<span class="subtitle">${danishDate(digest.date)}</span></h1>
<dl class="details">
<dt>Åbne advis</dt><dd>${digest.open}</dd>
<dt>Heraf overskredne frister</dt><dd>${digest.overdue}</dd>
<dt>Eskaleret til teamleder</dt><dd>${digest.escalated}</dd>
</dl>
${
  rows.length === 0
    ? markup`<p class="empty">Ingen åbne advis.</p>`
    : markup`<table>
<caption>Nyeste først</caption>
<thead><tr><th>Advis</th><th>Hvad</th><th>Frist</th><th>Siden</th><th>Ansvarlig</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}`;
  return page({
    title: `Dine åbne advis ${danishDate(digest.date)}`,
    nav: null,
    body,
    today: digest.date,
  });
}
