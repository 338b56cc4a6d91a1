import { withBook, type BookSource } from './book';
import { listClosures, type ClosedDaySummary } from './closures';

/** The closed days of a journal, newest first (none for a journal not yet at version 2). */
export function closedDays(source: BookSource, limit?: number): ClosedDaySummary[] {
  return withBook(source, true, (book) => (book.hasReconTables ? listClosures(book.db, limit) : []));
}
