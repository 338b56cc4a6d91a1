/** Every schema version, in order. Append new files here; never edit or reorder old ones. */
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-reconciliation';
import { migration0003 } from './0003-refund-after-failure';
import { migration0004 } from './0004-lean-indexes';
import { migration0005 } from './0005-retried-refunds';
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
];

export const LATEST_VERSION = MIGRATIONS.length;
