/**
 * Zones the engine's ICU data still lists by a name the IANA database has since replaced (a
 * city's spelling, a renamed place): the list offers the current one. Zones that are only
 * linked to another one's rules (Europe/Vatican to Europe/Rome, say) keep their own name: a
 * shop there looks for it.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * The zones to choose from: every one the engine knows, by its current name, in order, each
 * once; and the one in force first if the list does not have it as written (saved by an older
 * version under an old name, or one this engine does not list).
 */
export function zoneChoices(known: readonly string[], inForce: string): string[] {
  const current = [...new Set(known.map((zone) => RENAMED[zone] ?? zone))].sort();
  return current.includes(inForce) ? current : [inForce, ...current];
}
