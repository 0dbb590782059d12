// Reader process entry: it is forked without the server's flags, so register the tsx loader here.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-reader-worker.ts');
