/** An attachment that focuses its element when it appears (e.g. a result screen's main action). */
export function focusOnMount(element: HTMLElement): void {
  queueMicrotask(() => element.focus());
}
