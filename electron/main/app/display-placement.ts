import type { DisplayInfo } from '../../../shared/settings';

/** A rectangle in screen coordinates (Electron's Rectangle, without importing electron). */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the core needs to know about a monitor. */
export interface MonitorGeometry {
  id: number;
  label: string;
  primary: boolean;
  bounds: Bounds;
  /** The part of the monitor not taken by task bars and docks. */
  workArea: Bounds;
}

/** Where the customer display window goes. */
export type Placement =
  /** Full screen on a monitor of its own: the normal setup with a customer-facing screen. */
  | { kind: 'fullscreen'; displayId: number; bounds: Bounds }
  /** A normal window on the cashier's monitor: no second monitor, or the cashier chose this one. */
  | { kind: 'window'; displayId: number; bounds: Bounds };

/** The customer window's size when it has to share the cashier's monitor. */
export const SHARED_WINDOW = { width: 800, height: 600 } as const;

/**
 * Decides where the customer display goes. The till's monitor is the one the cashier's window
 * is on (`tillId`), else the primary one. The chosen monitor (by id, remembered in the
 * settings) when it is connected; otherwise the first monitor that is not the till's;
 * otherwise a normal window on the till's monitor. Full screen only ever goes to a monitor
 * other than the till's, so the till is never covered, even when its touchscreen is not the
 * system's primary monitor.
 */
export function placeCustomerDisplay(
  monitors: readonly MonitorGeometry[],
  preferredId: number | null,
  tillId: number | null = null,
): Placement | null {
  const primary = monitors.find((m) => m.primary) ?? monitors[0];
  if (!primary) return null;
  const till = (tillId === null ? undefined : monitors.find((m) => m.id === tillId)) ?? primary;
  const chosen = preferredId === null ? undefined : monitors.find((m) => m.id === preferredId);
  const target = chosen ?? monitors.find((m) => m.id !== till.id);
  if (target && target.id !== till.id) {
    return { kind: 'fullscreen', displayId: target.id, bounds: { ...target.bounds } };
  }
  return { kind: 'window', displayId: till.id, bounds: sharedWindowBounds(till.workArea) };
}

/** A window in the bottom-right corner of the work area, clipped to it. */
function sharedWindowBounds(area: Bounds): Bounds {
  const width = Math.min(SHARED_WINDOW.width, area.width);
  const height = Math.min(SHARED_WINDOW.height, area.height);
  return { x: area.x + area.width - width, y: area.y + area.height - height, width, height };
}

/** The settings screen's list, primary first, with a readable label for each. */
export function describeMonitors(monitors: readonly MonitorGeometry[]): DisplayInfo[] {
  return [...monitors]
    .sort((a, b) => Number(b.primary) - Number(a.primary))
    .map((m, index) => ({
      id: m.id,
      label: m.label.trim() || `Display ${index + 1}`,
      primary: m.primary,
      width: Math.round(m.bounds.width),
      height: Math.round(m.bounds.height),
    }));
}

/** Browser mode has one screen as far as the core knows: the browser's. */
export const VIRTUAL_MONITOR: MonitorGeometry = {
  id: 0,
  label: 'Browser',
  primary: true,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1080 },
};
