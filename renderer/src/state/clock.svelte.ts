import { createSubscriber } from 'svelte/reactivity';

/**
 * The current time as a reactive value for countdowns: it ticks only while something on
 * screen reads it, and stops when nothing does.
 */
export class Clock {
  #subscribe = createSubscriber((update) => {
    const id = setInterval(update, 250);
    return () => clearInterval(id);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const clock = new Clock();
