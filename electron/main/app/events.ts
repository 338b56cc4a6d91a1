import type { EventName } from '../../../shared/ipc/channel-names';
import type { EventPayload } from '../../../shared/ipc/contract';

/** A listener for one push event. */
export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
/** A listener for every push event (the transports: Electron IPC and the bridge's stream). */
export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The core's push events (`sale`, `display`, `status`), typed by the contract. The core emits
 * each once; both transports subscribe with `onAny` and decide which window or stream may see
 * it, so no transport-specific code lives in the core.
 */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
  onAny(listener: AnyEventListener): () => void;
}

export function createEventBus(onListenerError: (error: unknown) => void = () => undefined): EventBus {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(event, payload) {
      // A copy: a listener that unsubscribes while being called must not skip its neighbour.
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch (error) {
          // One broken window or stream must not stop the others from hearing the event.
          onListenerError(error);
        }
      }
    },
    on(event, listener) {
      const wanted: EventName = event;
      const wrapped: AnyEventListener = (name, payload) => {
        const got: EventName = name;
        if (got === wanted) (listener as (p: unknown) => void)(payload);
      };
      listeners.add(wrapped);
      return () => void listeners.delete(wrapped);
    },
    onAny(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
