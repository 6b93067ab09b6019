/**
 * A tiny HTML builder for the server-rendered pages: every value put into a `markup` template
 * is escaped by `escapeHtml` unless it is itself built by `markup` (or a list of such), so a
 * forgotten escape cannot open the page to markup from minutes or labels.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The one escape function: safe both in element text and in double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Markup that is already safe (built by `markup`). */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/**
 * What may be put into a `markup` template: null and undefined render as nothing. Booleans are
 * left out on purpose, so `cond && markup` cannot print "false"; write a ternary or String().
 */
export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/** Named `markup`, not `html`, so Prettier does not reformat the templates (whitespace counts). */
export function markup(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup trusted as is: only for constants written in this folder (the stylesheet). */
export function trusted(constant: string): SafeHtml {
  return new SafeHtml(constant);
}
