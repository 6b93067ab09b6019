/**
 * The default departments, from the seeds (Slagelse's organisation, 2021). A municipality loads
 * its own through PUT /departments/:id or POST /departments/import; these are only a start.
 */
export const DEFAULT_DEPARTMENTS = [
  { id: 'CBU', name: 'Center for Børn og Unge', area: 'children' },
  { id: 'CHP', name: 'Center for Handicap og Psykiatri', area: 'adult-disability' },
  { id: 'CSAE', name: 'Center for Sundhed og Ældre', area: 'health' },
  { id: 'JOBCENTER', name: 'Jobcenter', area: 'employment' },
  { id: 'UNGEENHEDEN', name: 'Ungeenheden', area: 'youth' },
  { id: 'UU', name: 'Ungdommens Uddannelsesvejledning', area: 'youth' },
  { id: 'FAMILIE', name: 'Familieafdelingen', area: 'children' },
] as const;

export const DEPARTMENT_AREAS = [
  'children',
  'adult-disability',
  'health',
  'employment',
  'youth',
  'other',
] as const;
export type DepartmentArea = (typeof DEPARTMENT_AREAS)[number];
