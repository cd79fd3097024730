// Scrolling one pane to a part of it without moving anything else. Element.scrollIntoView
// scrolls every scrollable ancestor, the window included, which pushes a page's header (a run's
// status, Accept and Abort) up under the sticky top bar; this moves only `pane`.

/** Scrolls `pane` (a scroll container) so that `target`, inside it, is at its top or centre. */
export function scrollInside(pane: HTMLElement, target: Element, where: 'start' | 'center' = 'start'): void {
  const offset = target.getBoundingClientRect().top - pane.getBoundingClientRect().top;
  const centre = where === 'center' ? (pane.clientHeight - target.getBoundingClientRect().height) / 2 : 0;
  pane.scrollTop = Math.max(0, pane.scrollTop + offset - Math.max(0, centre));
}
