import type { Kysely } from 'kysely';
import type { Dialect } from '../tables.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-identity.ts';
import * as m0003 from './0003-detection.ts';
import * as m0004 from './0004-hunting.ts';
import * as m0005 from './0005-management.ts';
import * as m0006 from './0006-triage.ts';
import * as m0007 from './0007-cases.ts';
import * as m0008 from './0008-notifications.ts';
import * as m0009 from './0009-insights.ts';
import * as m0010 from './0010-intel.ts';
import * as m0011 from './0011-exposure.ts';
import * as m0012 from './0012-volume.ts';
import * as m0013 from './0013-bus-outbox.ts';

export interface HarrierMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Every migration in order. Names sort lexically; never rename or reorder one that shipped. */
export const MIGRATIONS: Record<string, HarrierMigration> = {
  '0001-initial': m0001,
  '0002-identity': m0002,
  '0003-detection': m0003,
  '0004-hunting': m0004,
  '0005-management': m0005,
  '0006-triage': m0006,
  '0007-cases': m0007,
  '0008-notifications': m0008,
  '0009-insights': m0009,
  '0010-intel': m0010,
  '0011-exposure': m0011,
  '0013-bus-outbox': m0013,
  '0012-volume': m0012,
};
