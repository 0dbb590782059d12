// Worker entry: workers do not inherit the main thread's tsx loader, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer-worker.ts');
