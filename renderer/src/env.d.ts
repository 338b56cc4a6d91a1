/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { CashierApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    /** The preload's typed API: one method per channel of shared/ipc/contract.ts. */
    cashier: CashierApi | undefined;
  }
}
