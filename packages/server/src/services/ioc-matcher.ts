// The matcher lives in @harrier/schema so the agent applies the same indicator semantics.
export {
  guessIocType,
  IOC_TYPES,
  type IocHit,
  IocMatcher,
  type IocSpec,
  type IocType,
  normalizeIoc,
} from '@harrier/schema';
