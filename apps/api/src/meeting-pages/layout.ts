/**
 * The frame every meeting page shares: Danish document, inline stylesheet only (no external
 * assets, no scripts), large high-contrast type for a projector and an A4 print stylesheet.
 */
import type { IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { danishDate } from './danish-text';
import { markup, trusted, type SafeHtml } from './html';

const STYLESHEET = `
:root { color-scheme: light; }
html { font-size: 125%; }
body {
  margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 62rem;
  font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; line-height: 1.45;
  color: #000; background: #fff;
}
h1 { font-size: 2rem; margin: 0 0 0.25rem; }
h1 .subtitle { display: block; font-size: 1.2rem; font-weight: normal; }
h2 { font-size: 1.45rem; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 3px solid #000; }
h3 { font-size: 1.15rem; margin: 0 0 0.35rem; }
a { color: #0a2f7a; text-decoration: underline; }
nav { margin-bottom: 1rem; padding: 0.5rem 0.75rem; border: 2px solid #000; }
nav a { margin-right: 1.25rem; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 1rem 0; }
dl.details dt { font-weight: bold; }
dl.details dd { margin: 0; }
.count { font-weight: normal; }
.empty { font-style: italic; }
ol.items { list-style: none; margin: 0; padding: 0; }
.item { margin: 0 0 1rem; padding: 0.75rem 1rem; border: 2px solid #000; break-inside: avoid; }
.badge { display: inline-block; margin-left: 0.5rem; padding: 0 0.45rem; font-size: 0.85rem; font-weight: bold; color: #fff; background: #000; }
.overdue { color: #8b0000; font-weight: bold; }
ul.flags { margin: 0.35rem 0; padding-left: 1.25rem; }
.meta { margin: 0.2rem 0; }
.notice { padding: 0.5rem 0.75rem; border: 3px solid #000; font-weight: bold; }
.correction { margin: 0.5rem 0; padding: 0.4rem 0.75rem; border-left: 6px solid #000; background: #f0f0f0; }
table { width: 100%; border-collapse: collapse; margin: 0.5rem 0; }
caption { text-align: left; font-weight: bold; }
th, td { padding: 0.3rem 0.5rem; border: 1px solid #000; text-align: left; vertical-align: top; }
footer { margin-top: 2rem; font-size: 0.85rem; }
@page { size: A4; margin: 18mm; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  nav, .no-print { display: none !important; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: none !important; }
  .page-section + .page-section { break-before: page; page-break-before: always; }
  .item, tr { break-inside: avoid; page-break-inside: avoid; }
  .correction { background: none; }
}
`;

export interface PageFrame {
  readonly title: string;
  /** Links for the screen only (hidden in print); null for none. */
  readonly nav: SafeHtml | null;
  readonly body: SafeHtml;
  readonly today: IsoDate;
}

export function page(frame: PageFrame): string {
  return markup`<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title}</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
${frame.nav === null ? null : markup`<nav aria-label="Links">${frame.nav}</nav>`}
${frame.body}
<footer>Siden er dannet ${danishDate(frame.today)}.</footer>
</body>
</html>
`.markup;
}
