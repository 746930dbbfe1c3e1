/**
 * The attribute a page's HTML puts, with `disabled`, on every control its script gives a handler to. The static
 * page is drawn before its module script has loaded and run (and the dev page's only after its catalog has been
 * fetched): a click or a chosen file in that gap reached no handler and was lost without a word — seen in CI on the
 * dev page's Detect, and true of every button. So each control waits disabled until the page has wired it.
 */
export const UNTIL_WIRED = 'data-until-wired';

/**
 * Enables every control under `root` that waited for the page's script (UNTIL_WIRED), once the page has wired
 * them all; returns how many. Controls whose state the page manages itself (enabled when there is something to
 * load, …) do not carry the attribute.
 */
export function enableWiredControls(root: ParentNode): number {
  const controls = root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(`[${UNTIL_WIRED}]`);
  for (const control of controls) {
    control.removeAttribute(UNTIL_WIRED);
    control.disabled = false;
  }
  return controls.length;
}
