// Preloaded with `--import` (through NODE_OPTIONS): the process reports Node 20 to everything
// that reads `process.version`, as the AWS SDK does when it decides whether to print its
// Node.js support notice, so a test on Node 22 sees what an operator on Node 20 would.
Object.defineProperty(process, 'version', { value: 'v20.20.2' });
