import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library only auto-cleans when test globals are enabled; ours are imported explicitly.
afterEach(() => {
  cleanup();
});

// findBy*/waitFor give up after 1 s by default; a loaded CI machine can take longer to render a
// page whose lazy chunks and fake responses are still settling. Waiting longer never hides a bug.
configure({ asyncUtilTimeout: 5000 });
