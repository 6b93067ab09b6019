export { escapeHtml } from './html';
export { pageLabelsFrom, type PageLabels } from './page-labels';
export { FLAG_TEXTS, SECTION_TITLES, danishDate, danishDateTime, flagText } from './danish-text';
export {
  agreementDisplayStatus,
  renderAgendaPage,
  renderFamilyExtractPage,
  renderMinutesPage,
} from './render';
