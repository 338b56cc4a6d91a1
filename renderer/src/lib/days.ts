/** A calendar day `n` days after (or before) `day`, both YYYY-MM-DD; business days are named so. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
