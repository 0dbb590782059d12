export * from './event-model.ts';
export * from './ids.ts';
export * from './regex-safety.ts';
export * from './request-signing.ts';
export * from './severity.ts';
