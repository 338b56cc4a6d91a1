/** An attachment that focuses its element when it appears (e.g. a result screen's main action). */
export function focusOnMount(element: HTMLElement): void {
  queueMicrotask(() => element.focus());
}

/**
 * An attachment that takes the focus when it appears only if nobody has it: the button that led
 * here is gone (Charge, once the sale starts), so a Tab goes on from this screen, not from the
 * top of the page. A field the cashier moved to meanwhile keeps it.
 */
export function focusIfLost(element: HTMLElement): void {
  queueMicrotask(() => {
    const active = document.activeElement;
    if (active === null || active === document.body) element.focus({ preventScroll: true });
  });
}
