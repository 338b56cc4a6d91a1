/** The report as JSON: the DayReport itself, amounts in integer cents, instants ISO UTC. */
import type { DayReport } from './types';

export function renderJson(report: DayReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
