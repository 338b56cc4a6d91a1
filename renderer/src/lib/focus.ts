/** An attachment that focuses its element when it appears (e.g. a result screen's main action). */
export function focusOnMount(element: HTMLElement): void {
  queueMicrotask(() => element.focus());
}

/**
 * An attachment that scrolls its element wholly into sight when it appears, as little as it
 * takes (a question that appears below the fold of a small screen: its buttons and what it
 * asks, not just the focused button).
 */
export function revealOnMount(element: HTMLElement): void {
  requestAnimationFrame(() => {
    // Inside a sticky box it is in sight wherever the box is held; what is brought into sight
    // is the box's place in the flow, so nothing before it stays covered.
    let box: HTMLElement | null = element;
    while (box && getComputedStyle(box).position !== 'sticky') box = box.parentElement;
    const target = box ?? element;
    const position = target.style.position;
    target.style.position = 'static';
    target.scrollIntoView({ block: 'nearest' });
    target.style.position = position;
  });
}

/**
 * An attachment that takes the focus when it appears only if nobody has it: the button that led
 * here is gone (Charge, once the sale starts), so a Tab goes on from this screen, not from the
 * top of the page. A field the cashier moved to meanwhile keeps it.
 */
export function focusIfLost(element: HTMLElement): void {
  queueMicrotask(() => {
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    // A disabled button cannot hold the focus: the place named to stand in for it takes it.
    const fallback = element.dataset['focusFallback'];
    const target =
      element instanceof HTMLButtonElement && element.disabled && fallback
        ? document.getElementById(fallback)
        : element;
    target?.focus({ preventScroll: true });
  });
}

/**
 * An attachment for a button that is disabled while its work is under way (Check connection,
 * Save): a disabled button loses the focus to the page, so when it is enabled again and nobody
 * else took the focus meanwhile, it takes it back. The cashier's place is kept: Tab goes on
 * from there, Enter does it again.
 */
export function keepsFocus(button: HTMLButtonElement): () => void {
  let held = false;
  const lost = (): boolean => document.activeElement === null || document.activeElement === document.body;
  const onBlur = (event: FocusEvent): void => {
    held = button.disabled && event.relatedTarget === null;
  };
  const observer = new MutationObserver(() => {
    if (button.disabled) {
      if (document.activeElement === button) held = true;
    } else if (held) {
      held = false;
      if (lost()) button.focus({ preventScroll: true });
    }
  });
  button.addEventListener('blur', onBlur);
  observer.observe(button, { attributes: true, attributeFilter: ['disabled'] });
  return () => {
    observer.disconnect();
    button.removeEventListener('blur', onBlur);
  };
}
