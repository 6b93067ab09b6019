/** Patterns shared by the DTOs; a failed pattern says which field and what shape it wants. */
export const ISO_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const ISO_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const isoDateMessage = (field: string): string => `${field} must be a date YYYY-MM-DD`;
export const isoMonthMessage = (field: string): string => `${field} must be a month YYYY-MM`;
