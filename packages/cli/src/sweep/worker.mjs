// Entry of a sweep worker thread: the TypeScript loader first (a thread loads modules on its own),
// then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
