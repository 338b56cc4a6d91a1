/** The journal's public surface: what the payments and reconciliation layers may use. */
export { openJournal, type Journal, type JournalOptions } from './journal';
export { businessDay, isBusinessDay, type BusinessDay } from './business-day';
export type { BackupReport } from './backup';
export type { ChainBreak, ChainVerdict } from './hash-chain';
export { GENESIS_HASH } from './hash-chain';
export type { JsonObject, JsonValue } from './canonical-json';
export type { ChargeOutcome } from './charges-repo';
export type { NewSale } from './sales-repo';
export type { PendingOperations, SalePage, SaleQuery } from './queries';
export type { PragmaReport } from './connection';
export { replaySale, type SaleSnapshot } from './replay';
export * from './errors';
export * from './types';
