/**
 * Prints a sale's receipt alone: the screen holding it has the `prints-receipt` class, and
 * styles.css shows only its `.receipt` child while `printing-receipt` is on the body. Returns
 * the moment of printing, for the receipt to say.
 */
export function printReceipt(): string {
  document.body.classList.add('printing-receipt');
  window.addEventListener('afterprint', () => document.body.classList.remove('printing-receipt'), {
    once: true,
  });
  const at = new Date().toISOString();
  // After this turn, so the receipt shows the moment before the print dialog takes its picture.
  setTimeout(() => window.print(), 0);
  return at;
}
