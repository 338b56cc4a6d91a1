import type { Handlers } from './dispatch';
import type { Runtime } from './runtime';

/** The handler for every channel, over the core. Shared by Electron IPC and the loopback bridge. */
export function createHandlers(runtime: Runtime): Handlers {
  return {
    'app:status': () => runtime.status(),
    'app:check-connection': () => runtime.checkConnection(),
  };
}
