import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { foldForSearch, registerSearchFold } from '../../../electron/main/journal/search-fold';

describe('foldForSearch', () => {
  it('drops case and accents of any letter', () => {
    expect(foldForSearch('CAFFÈ')).toBe('caffe');
    expect(foldForSearch('Perché')).toBe('perche');
    expect(foldForSearch('ÅNGSTRÖM Øre Łódź')).toBe('angstrom ore lodz');
    expect(foldForSearch('Ελληνικά ΟΔΟΣ')).toBe('ελληνικα οδοσ');
    expect(foldForSearch('İstanbul')).toBe('istanbul');
    // Composed or decomposed, the same text.
    expect(foldForSearch('cafe\u0301')).toBe(foldForSearch('caf\u00e9'));
  });

  it('spells out ß and the ligatures, and reads compatibility forms as plain letters', () => {
    expect(foldForSearch('Straße STRAẞE')).toBe('strasse strasse');
    expect(foldForSearch('Œuvre Æsir ﬁne')).toBe('oeuvre aesir fine');
    expect(foldForSearch('ＣＡＦＦＥ')).toBe('caffe');
  });

  it('leaves what is not a letter alone: digits, spaces, % and _', () => {
    expect(foldForSearch('S-20260504-AB12CD')).toBe('s-20260504-ab12cd');
    expect(foldForSearch('100% caffè_2x\\')).toBe('100% caffe_2x\\');
  });

  it('is the SQL function search_fold, NULL staying NULL', () => {
    const db = new Database(':memory:');
    try {
      registerSearchFold(db);
      const fold = db.prepare<[string | null], string | null>('SELECT search_fold(?)').pluck();
      expect(fold.get('Caffè LUNGO')).toBe('caffe lungo');
      expect(fold.get(null)).toBeNull();
    } finally {
      db.close();
    }
  });
});
