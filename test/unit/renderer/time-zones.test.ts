import { describe, expect, it } from 'vitest';
import { zoneChoices } from '../../../renderer/src/lib/time-zones';

describe('the time zones to choose from', () => {
  it("lists the engine's zones by their current IANA names, in order, each once", () => {
    const known = Intl.supportedValuesOf('timeZone');
    const list = zoneChoices(known, 'Europe/Rome');
    // This engine's ICU still says Kiev and Calcutta: the list says Kyiv and Kolkata.
    expect(list).toContain('Europe/Kyiv');
    expect(list).not.toContain('Europe/Kiev');
    expect(list).toContain('Asia/Kolkata');
    expect(list).not.toContain('Asia/Calcutta');
    expect(list).toContain('America/Argentina/Buenos_Aires');
    expect(list).not.toContain('America/Buenos_Aires');
    // A place with its own name linked to another's rules keeps it.
    expect(list).toContain('Europe/Vatican');
    expect(list).toContain('Europe/San_Marino');
    expect(new Set(list).size).toBe(list.length);
    expect([...list].sort()).toEqual(list);
    // Each one is a zone the engine takes.
    for (const zone of list) expect(() => new Intl.DateTimeFormat('it', { timeZone: zone })).not.toThrow();
  });

  it('keeps the zone in force at the top when the list does not have it as written', () => {
    const known = ['Europe/Kiev', 'Europe/Rome'];
    expect(zoneChoices(known, 'Europe/Rome')).toEqual(['Europe/Kyiv', 'Europe/Rome']);
    // Saved under the old name by an earlier version: shown as it is, beside the current name.
    expect(zoneChoices(known, 'Europe/Kiev')).toEqual(['Europe/Kiev', 'Europe/Kyiv', 'Europe/Rome']);
    expect(zoneChoices(known, 'Mars/Olympus')).toEqual(['Mars/Olympus', 'Europe/Kyiv', 'Europe/Rome']);
  });
});
