import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  listDisplays,
  manageCustomerDisplay,
  type CustomerDisplayWindow,
} from '../../../electron/main/displays';
import { FakeBrowserWindow, makeDisplay, resetFake, screen } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const PRIMARY = makeDisplay(1, { x: 0, y: 0, width: 1920, height: 1080 }, 'Built-in');
const SECOND = makeDisplay(2, { x: 1920, y: 0, width: 1280, height: 1024 }, 'Customer');
const THIRD = makeDisplay(3, { x: -1280, y: 0, width: 1280, height: 720 }, ' ');
/** The shared window: 800×600 in the bottom-right corner of the primary's work area. */
const ON_PRIMARY = { x: 1120, y: 440, width: 800, height: 600 };

let preferred: number | null;
let focusCashier: ReturnType<typeof vi.fn<() => void>>;
let display: CustomerDisplayWindow;

function start(monitors = [PRIMARY, SECOND], preferredId: number | null = null): CustomerDisplayWindow {
  screen.setDisplays(monitors, PRIMARY.id);
  preferred = preferredId;
  display = manageCustomerDisplay({ preferredDisplayId: () => preferred, focusCashier });
  return display;
}

function only(): FakeBrowserWindow {
  expect(FakeBrowserWindow.all).toHaveLength(1);
  return FakeBrowserWindow.all[0] as FakeBrowserWindow;
}

const monitorOf = (win: FakeBrowserWindow): number => screen.getDisplayMatching(win.getBounds()).id;

/** Full screen on that monitor, covering it. */
function expectFullScreenOn(win: FakeBrowserWindow, monitor: typeof PRIMARY): void {
  expect(win.isFullScreen()).toBe(true);
  expect(win.getBounds()).toEqual(monitor.bounds);
}

beforeEach(() => {
  resetFake();
  vi.useFakeTimers();
  focusCashier = vi.fn<() => void>();
});

afterEach(() => {
  display.close();
  vi.useRealTimers();
});

describe('listDisplays', () => {
  it("lists Electron's monitors primary first, with a label for each", () => {
    screen.setDisplays([THIRD, SECOND, PRIMARY], PRIMARY.id);
    display = manageCustomerDisplay({ preferredDisplayId: () => null, focusCashier });
    expect(listDisplays()).toEqual([
      { id: 1, label: 'Built-in', primary: true, width: 1920, height: 1080 },
      { id: 3, label: 'Display 2', primary: false, width: 1280, height: 720 },
      { id: 2, label: 'Customer', primary: false, width: 1280, height: 1024 },
    ]);
  });
});

describe('where the customer window opens', () => {
  it('full screen on the secondary monitor, shown without focus once painted', () => {
    start();
    const win = only();
    expect(display.window()).toBe(win);
    expect(win.visible).toBe(false);
    expect(monitorOf(win)).toBe(SECOND.id);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(false);
    expectFullScreenOn(win, SECOND);
    expect(focusCashier).toHaveBeenCalledOnce();
  });

  it('on the remembered monitor rather than the first secondary one', () => {
    start([PRIMARY, SECOND, THIRD], THIRD.id);
    only().emit('ready-to-show');
    expectFullScreenOn(only(), THIRD);
  });

  it('on the first secondary monitor when the remembered one is not connected', () => {
    start([PRIMARY, SECOND], 99);
    only().emit('ready-to-show');
    expectFullScreenOn(only(), SECOND);
  });

  it('as a window on the primary monitor, never full screen, when there is no other', () => {
    start([PRIMARY]);
    const win = only();
    win.emit('ready-to-show');
    expect(win.isFullScreen()).toBe(false);
    expect(win.getBounds()).toEqual(ON_PRIMARY);
    expect(win.visible).toBe(true);
    expect(focusCashier).toHaveBeenCalledOnce();
  });
});

describe('following the monitors', () => {
  it('display-removed: leaves full screen and becomes a window on the primary', () => {
    start();
    const win = only();
    win.emit('ready-to-show');
    screen.unplug(SECOND.id);
    vi.advanceTimersByTime(249); // waits for the burst to settle
    expectFullScreenOn(win, SECOND);
    vi.advanceTimersByTime(1);
    expect(only()).toBe(win);
    expect(win.isFullScreen()).toBe(false);
    expect(win.getBounds()).toEqual(ON_PRIMARY);
  });

  it('display-added: goes full screen on the new monitor, once per burst of changes', () => {
    start([PRIMARY]);
    const win = only();
    win.emit('ready-to-show');
    const setBounds = vi.spyOn(win, 'setBounds');
    screen.plug(SECOND);
    screen.emit('display-metrics-changed', {}, SECOND, ['scaleFactor']);
    screen.emit('display-metrics-changed', {}, SECOND, ['bounds']);
    vi.advanceTimersByTime(250);
    expect(setBounds).toHaveBeenCalledOnce();
    expectFullScreenOn(win, SECOND);
  });

  it('moves between monitors when the remembered one changes (reposition)', () => {
    start([PRIMARY, SECOND, THIRD]);
    const win = only();
    win.emit('ready-to-show');
    expectFullScreenOn(win, SECOND);
    preferred = THIRD.id;
    display.reposition();
    expectFullScreenOn(win, THIRD);
    preferred = PRIMARY.id;
    display.reposition();
    expect(win.isFullScreen()).toBe(false);
    expect(win.getBounds()).toEqual(ON_PRIMARY);
  });

  it('a placement that changes while the page loads is the one applied when it shows', () => {
    start();
    const win = only();
    screen.unplug(SECOND.id); // before the first paint
    vi.advanceTimersByTime(250);
    win.emit('ready-to-show');
    // Full screen now would cover the till on the primary monitor.
    expect(win.isFullScreen()).toBe(false);
    expect(win.getBounds()).toEqual(ON_PRIMARY);
  });
});

describe('closing', () => {
  it('a window the cashier closed stays closed until the monitors change', () => {
    start();
    const first = only();
    first.close();
    expect(display.window()).toBeNull();
    vi.advanceTimersByTime(10_000);
    expect(FakeBrowserWindow.all).toHaveLength(1);
    screen.plug(THIRD);
    vi.advanceTimersByTime(250);
    expect(FakeBrowserWindow.all).toHaveLength(2);
    const second = FakeBrowserWindow.all[1] as FakeBrowserWindow;
    expect(display.window()).toBe(second);
    expect(second.isDestroyed()).toBe(false);
  });

  it('a monitor change that leaves the placement as it is does not touch the full-screen window', () => {
    start([PRIMARY, SECOND, THIRD]);
    const win = only();
    win.emit('ready-to-show');
    expectFullScreenOn(win, SECOND);
    const setFullScreen = vi.spyOn(win, 'setFullScreen');
    const setBounds = vi.spyOn(win, 'setBounds');
    // The taskbar moved on the primary: the customer, maybe scanning, sees nothing happen.
    screen.emit('display-metrics-changed', {}, PRIMARY, ['workArea']);
    vi.advanceTimersByTime(250);
    display.reposition();
    expect(setFullScreen).not.toHaveBeenCalled();
    expect(setBounds).not.toHaveBeenCalled();
    expectFullScreenOn(win, SECOND);
  });

  it('a settings save moves the window only when it chose another monitor', () => {
    start([PRIMARY, SECOND, THIRD]);
    const win = only();
    win.emit('ready-to-show');
    const setFullScreen = vi.spyOn(win, 'setFullScreen');
    display.settingsChanged(); // the language, say
    expect(setFullScreen).not.toHaveBeenCalled();
    preferred = THIRD.id;
    display.settingsChanged();
    expectFullScreenOn(win, THIRD);
    // A window the cashier closed is not opened again by a save that chose nothing new.
    win.close();
    display.settingsChanged();
    expect(FakeBrowserWindow.all).toHaveLength(1);
    preferred = SECOND.id;
    display.settingsChanged();
    expect(FakeBrowserWindow.all).toHaveLength(2);
  });

  it("goes to a monitor other than the one the cashier's window is on, even the primary", () => {
    screen.setDisplays([PRIMARY, SECOND], PRIMARY.id);
    display = manageCustomerDisplay({
      preferredDisplayId: () => null,
      tillDisplayId: () => SECOND.id,
      focusCashier,
    });
    const win = only();
    win.emit('ready-to-show');
    expectFullScreenOn(win, PRIMARY);
  });

  it('close() destroys the window and stops following the monitors', () => {
    start();
    const win = only();
    screen.unplug(SECOND.id); // a placement pending when the app quits
    display.close();
    expect(win.isDestroyed()).toBe(true);
    expect(display.window()).toBeNull();
    for (const event of ['display-added', 'display-removed', 'display-metrics-changed'])
      expect(screen.listenerCount(event)).toBe(0);
    vi.advanceTimersByTime(1_000);
    screen.plug(SECOND);
    display.reposition();
    vi.advanceTimersByTime(1_000);
    expect(FakeBrowserWindow.all).toHaveLength(1);
  });
});
