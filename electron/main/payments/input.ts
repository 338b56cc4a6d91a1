/**
 * Checking what reaches the payments service: a command's input against its shared schema (a
 * VALIDATION refusal naming the field) and the service's numeric options.
 */
import type { z } from 'zod';
import { invalidInput } from '../../../shared/result';
import { PaymentsError } from './errors';

/** The input of a command, parsed by its schema: the first issue as a VALIDATION refusal. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new PaymentsError('VALIDATION', `${where}${issue?.message ?? 'invalid input'}`, {
    detail: invalidInput(result.error.issues),
  });
}

/** An option that must be above zero (a programming error otherwise, not the cashier's). */
export function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
  return v;
}

/** An option that may be zero. */
export function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be zero or more`);
  return v;
}
