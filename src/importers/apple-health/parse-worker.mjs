// Worker-thread entry: registers the TypeScript loader in this thread, then runs the parse stage.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
