// A shell file like windows.ts (it places the customer window with Electron's `screen`); the
// placement decision itself is the core's display-placement.ts, tested under Node.
import { screen, type BrowserWindow, type Display } from 'electron';
import {
  describeMonitors,
  placeCustomerDisplay,
  type MonitorGeometry,
  type Placement,
} from './app/display-placement';
import type { DisplayInfo } from '../../shared/settings';
import { createCustomerWindow } from './windows';

/** Electron's monitors as the core's plain geometry. */
export function readMonitors(): MonitorGeometry[] {
  const primaryId = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d: Display) => ({
    id: d.id,
    label: d.label,
    primary: d.id === primaryId,
    bounds: d.bounds,
    workArea: d.workArea,
  }));
}

/** `settings:list-displays` in Electron. */
export function listDisplays(): DisplayInfo[] {
  return describeMonitors(readMonitors());
}

export interface CustomerDisplayWindow {
  /** The window, while it exists. */
  window(): BrowserWindow | null;
  /** Places the window again, now. */
  reposition(): void;
  /**
   * The settings were saved: only a new choice of monitor moves the window (or opens one the
   * cashier closed). A language or store name saved while a customer scans leaves it alone.
   */
  settingsChanged(): void;
  close(): void;
}

/**
 * Keeps the customer display window where placeCustomerDisplay says: full screen on the chosen
 * (or any secondary) monitor, else a normal window on the cashier's. Follows monitors being
 * plugged, unplugged or rearranged. A window the cashier closed stays closed until the next
 * placement (a monitor change, or a new choice in the settings) opens it again.
 */
export function manageCustomerDisplay(options: {
  preferredDisplayId: () => number | null;
  /** The monitor the cashier's window is on (the till's): never covered. Default: the primary. */
  tillDisplayId?: () => number | null;
  /** Hands focus back to the cashier after the customer window appears. */
  focusCashier: () => void;
}): CustomerDisplayWindow {
  let win: BrowserWindow | null = null;
  /** The last placement applied: the one a window still loading must take when it shows. */
  let latest: Placement | null = null;
  let closing = false;
  let pending: NodeJS.Timeout | null = null;

  /** The window is already where `placement` puts it: moving it again would only flicker. */
  const inPlace = (w: BrowserWindow, placement: Placement): boolean => {
    const b = w.getBounds();
    const same =
      b.x === placement.bounds.x &&
      b.y === placement.bounds.y &&
      b.width === placement.bounds.width &&
      b.height === placement.bounds.height;
    return same && w.isFullScreen() === (placement.kind === 'fullscreen');
  };

  const apply = (placement: Placement): void => {
    latest = placement;
    // A work area or taskbar change on some monitor, or a settings save, that leaves the
    // placement as it is: the customer, maybe scanning, sees nothing happen.
    if (win && !win.isDestroyed() && inPlace(win, placement)) return;
    if (!win || win.isDestroyed()) {
      const created = createCustomerWindow(placement.bounds);
      win = created;
      created.on('closed', () => {
        if (win === created) win = null;
      });
      created.once('ready-to-show', () => {
        created.showInactive();
        // Not the placement it was created with: the monitors may have changed while it loaded.
        if (latest?.kind === 'fullscreen') created.setFullScreen(true);
        options.focusCashier();
      });
      return;
    }
    // A full-screen window cannot be moved to another monitor: leave full screen, move, re-enter.
    if (win.isFullScreen()) win.setFullScreen(false);
    win.setBounds(placement.bounds);
    if (placement.kind === 'fullscreen') win.setFullScreen(true);
  };

  let chosen = options.preferredDisplayId();
  const reposition = (): void => {
    if (closing) return;
    chosen = options.preferredDisplayId();
    const placement = placeCustomerDisplay(readMonitors(), chosen, options.tillDisplayId?.() ?? null);
    if (placement) apply(placement);
  };

  // Monitors report several changes in a burst (resolution, then scale, then position).
  const soon = (): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      reposition();
    }, 250);
  };
  screen.on('display-added', soon);
  screen.on('display-removed', soon);
  screen.on('display-metrics-changed', soon);
  reposition();

  return {
    window: () => (win && !win.isDestroyed() ? win : null),
    reposition,
    settingsChanged() {
      if (options.preferredDisplayId() !== chosen) reposition();
    },
    close() {
      closing = true;
      if (pending) clearTimeout(pending);
      screen.off('display-added', soon);
      screen.off('display-removed', soon);
      screen.off('display-metrics-changed', soon);
      if (win && !win.isDestroyed()) win.destroy();
      win = null;
    },
  };
}
