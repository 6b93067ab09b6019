/**
 * Names the pages show for ids. Events and read models hold ids only; whoever renders a page
 * looks the names up and passes them here. A missing name falls back to the id, so a page always
 * renders.
 */
export interface PageLabels {
  department(id: string): string | undefined;
  family(id: string): string | undefined;
  person(id: string): string | undefined;
  caseworker(id: string): string | undefined;
}

export type PageLabelKind = keyof PageLabels;

/** PageLabels from lookup maps (id → name); kinds not given show ids. */
export function pageLabelsFrom(
  maps: Partial<Record<PageLabelKind, ReadonlyMap<string, string>>>,
): PageLabels {
  return {
    department: (id) => maps.department?.get(id),
    family: (id) => maps.family?.get(id),
    person: (id) => maps.person?.get(id),
    caseworker: (id) => maps.caseworker?.get(id),
  };
}

/** The name for an id, or the id itself when there is none (or it is blank). */
export function labelOf(labels: PageLabels, kind: PageLabelKind, id: string): string {
  const name = labels[kind](id);
  return name === undefined || name.trim() === '' ? id : name;
}
