/**
 * End-of-day reconciliation: the day's report, checking it with DropPay, closing it, and
 * exporting it (CSV, PDF, JSON). Plain Node: no electron import, so the command line
 * (`npm run report`) and the tests use it as the app does. See README.md beside this file.
 */
export { buildDayReport, type ReportOptions } from './report';
export { checkDay, type CheckOptions, type CheckProgress } from './check';
export { closeDay, MAX_CLOSE_REASON, type CloseOptions, type ClosedDay } from './close';
export { exportCsv, renderCsv, formatCents, CSV_COLUMNS, type CsvOptions, type Separator } from './csv';
export { dayItems } from './day-lines';
export { exportPdf, renderReportPdf, type PdfOptions } from './pdf/report-pdf';
export { formatMoney, type Lang } from './pdf/labels';
export { renderJson } from './json';
export { closedDays, closedDaysCsv, isDayClosed } from './closed-days';
export type { ClosedDaySummary } from './closures';
export { openDayBook, openDayBookFile, type DayBook, type BookSource, type OpenFileOptions } from './book';
export { dayWindow, hourBuckets, type DayWindow, type HourBucket } from './day-window';
export { ReconciliationError, type ReconciliationErrorCode } from './errors';
export { FINDING_CODES, HINTS, type Finding, type FindingCode, type Hint } from './hints';
export type { ItemRow } from './queries';
export type * from './types';
