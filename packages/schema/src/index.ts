export * from './event-model.ts';
export * from './ids.ts';
export * from './request-signing.ts';
export * from './severity.ts';
