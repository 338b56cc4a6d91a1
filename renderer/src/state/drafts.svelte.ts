import type { MessageKey } from '../i18n/i18n.svelte';

/** An editable form on screen whose edits are not saved yet (a settings section). */
export interface Draft {
  /** The section's name, for the dialog that lists what would be lost. */
  readonly label: MessageKey;
  /** Whether the form holds edits not saved. Reactive: reads the form's state. */
  dirty(): boolean;
  /** Saves the edits as the form's own Save does; false when they were not saved (it says why). */
  save(): Promise<boolean>;
  /** Puts the saved values back in the form. */
  discard(): void;
  /** The form, so that one whose save failed can take the focus back. */
  element(): HTMLElement | undefined;
}

/**
 * The forms that hold edits, and a move away from them held until the cashier chooses: save,
 * discard, or stay. Leaving the settings must never drop what was typed without a word.
 */
export class Drafts {
  #drafts = $state.raw<readonly Draft[]>([]);
  /** The move asked for while edits were unsaved: the dialog is open while it is set. */
  leaving = $state.raw<(() => void) | null>(null);
  busy = $state(false);

  /** The forms with unsaved edits, in the order they registered (the page's order). */
  get unsaved(): Draft[] {
    return this.#drafts.filter((draft) => draft.dirty());
  }

  /** A form on screen; the function returned takes it off (when it leaves the page). */
  register(draft: Draft): () => void {
    this.#drafts = [...this.#drafts, draft];
    return () => {
      this.#drafts = this.#drafts.filter((d) => d !== draft);
    };
  }

  /** Makes `move` at once, or asks first when a form holds unsaved edits. */
  leave(move: () => void): void {
    if (this.unsaved.length === 0) move();
    else this.leaving = move;
  }

  /** Stay: the edits and the screen are kept. */
  stay(): void {
    if (!this.busy) this.leaving = null;
  }

  discardAndLeave(): void {
    const move = this.leaving;
    for (const draft of this.unsaved) draft.discard();
    this.leaving = null;
    move?.();
  }

  /**
   * Saves each form in turn, then makes the move. The first that is not saved keeps the cashier
   * on the screen with that form's complaint, and is returned so it can take the focus.
   */
  async saveAndLeave(): Promise<Draft | null> {
    const move = this.leaving;
    this.busy = true;
    try {
      for (const draft of this.unsaved) {
        if (!(await draft.save())) {
          this.leaving = null;
          return draft;
        }
      }
    } finally {
      this.busy = false;
    }
    this.leaving = null;
    move?.();
    return null;
  }
}
