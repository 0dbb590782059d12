export * from './event-model.ts';
export * from './severity.ts';
