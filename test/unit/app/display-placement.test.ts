import { describe, expect, it } from 'vitest';
import {
  describeMonitors,
  placeCustomerDisplay,
  SHARED_WINDOW,
  VIRTUAL_MONITOR,
  type MonitorGeometry,
} from '../../../electron/main/app/display-placement';
import { DisplayInfoSchema } from '../../../shared/settings';

const laptop: MonitorGeometry = {
  id: 1,
  label: 'Built-in',
  primary: true,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};
const facing: MonitorGeometry = {
  id: 2,
  label: 'Customer 10"',
  primary: false,
  bounds: { x: 1920, y: 0, width: 1280, height: 800 },
  workArea: { x: 1920, y: 0, width: 1280, height: 800 },
};
const third: MonitorGeometry = {
  id: 3,
  label: '',
  primary: false,
  bounds: { x: -1024, y: 0, width: 1024, height: 768 },
  workArea: { x: -1024, y: 0, width: 1024, height: 768 },
};

describe('customer display placement', () => {
  it('goes full screen on the secondary monitor', () => {
    expect(placeCustomerDisplay([laptop, facing], null)).toEqual({
      kind: 'fullscreen',
      displayId: 2,
      bounds: facing.bounds,
    });
  });

  it('remembers the chosen monitor by id among several', () => {
    expect(placeCustomerDisplay([laptop, facing, third], 3)).toMatchObject({
      kind: 'fullscreen',
      displayId: 3,
    });
  });

  it('falls back to another secondary monitor when the chosen one is unplugged', () => {
    expect(placeCustomerDisplay([laptop, third], 2)).toMatchObject({ kind: 'fullscreen', displayId: 3 });
  });

  it("never covers the till's monitor when the cashier's window is not on the primary one", () => {
    // A till touchscreen the system does not count as primary, and a customer screen that is.
    expect(placeCustomerDisplay([laptop, facing], null, facing.id)).toEqual({
      kind: 'fullscreen',
      displayId: laptop.id,
      bounds: laptop.bounds,
    });
    // The chosen monitor is the till's: a window there, never full screen over the till.
    expect(placeCustomerDisplay([laptop, facing], facing.id, facing.id)).toMatchObject({
      kind: 'window',
      displayId: facing.id,
    });
    // A till id that is not connected any more counts as the primary.
    expect(placeCustomerDisplay([laptop, facing], null, 99)).toMatchObject({
      kind: 'fullscreen',
      displayId: facing.id,
    });
  });

  it('opens a normal window in the corner of the primary monitor when there is no second one', () => {
    const placement = placeCustomerDisplay([laptop], 2);
    expect(placement).toEqual({
      kind: 'window',
      displayId: 1,
      bounds: {
        x: 1920 - SHARED_WINDOW.width,
        y: 1040 - SHARED_WINDOW.height,
        width: SHARED_WINDOW.width,
        height: SHARED_WINDOW.height,
      },
    });
  });

  it('never covers the cashier: choosing the primary monitor gives a window, not full screen', () => {
    expect(placeCustomerDisplay([laptop, facing], 1)).toMatchObject({ kind: 'window', displayId: 1 });
  });

  it('clips the window to a small work area, and places nothing without monitors', () => {
    const tiny = { ...laptop, workArea: { x: 0, y: 0, width: 640, height: 480 } };
    expect(placeCustomerDisplay([tiny], null)?.bounds).toEqual({ x: 0, y: 0, width: 640, height: 480 });
    expect(placeCustomerDisplay([], null)).toBeNull();
  });

  it('treats the first monitor as primary if none says so', () => {
    const a = { ...facing, primary: false };
    const b = { ...third, primary: false };
    expect(placeCustomerDisplay([a, b], null)).toMatchObject({ kind: 'fullscreen', displayId: 3 });
  });

  it('lists monitors primary first, with a label for each, valid for the contract', () => {
    const list = describeMonitors([facing, third, laptop]);
    expect(list.map((d) => d.id)).toEqual([1, 2, 3]);
    expect(list[2]?.label).toBe('Display 3');
    for (const d of list) DisplayInfoSchema.parse(d);
    expect(describeMonitors([VIRTUAL_MONITOR])).toEqual([
      { id: 0, label: 'Browser', primary: true, width: 1920, height: 1080 },
    ]);
  });
});
