/**
 * Non-secret settings (store name, language, time zone...). Secrets live in the OS keychain;
 * a key that looks like one is refused here and by the table's CHECK.
 */
import type { Core } from './core';
import { JournalValidationError } from './errors';
import { toSetting } from './rows';
import { isSecretLikeKey } from './secret-keys';
import type { Setting } from './types';

const KEY_PATTERN = /^[a-z][a-z0-9_.]{0,63}$/;

function settingKey(key: unknown): string {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new JournalValidationError(
      `a setting key is lowercase letters, digits, _ and . (at most 64), got ${String(key)}`,
    );
  }
  if (isSecretLikeKey(key)) {
    throw new JournalValidationError(
      `setting "${key}" looks like a secret; secrets belong in the OS keychain, not the journal`,
    );
  }
  return key;
}

export function setSetting(core: Core, key: string, value: string): Setting {
  const k = settingKey(key);
  if (typeof value !== 'string' || Array.from(value).length > 4096) {
    throw new JournalValidationError(`setting "${k}" must be a text of at most 4096 characters`);
  }
  return core.write('setSetting', (tx) => {
    const current = core.st.setting.get(k);
    if (current?.value === value) return toSetting(current);
    const seq = tx.append('setting.changed', { correlationId: null, entityId: k }, { key: k, value });
    core.st.upsertSetting.run({ key: k, value, updated_at: tx.at, last_event_seq: seq });
    return { key: k, value, updatedAt: tx.at };
  });
}

export function getSetting(core: Core, key: string): string | null {
  const k = settingKey(key);
  return core.read('getSetting', () => core.st.setting.get(k)?.value ?? null);
}

export function listSettings(core: Core): Setting[] {
  return core.read('listSettings', () => core.st.settings.all().map(toSetting));
}
