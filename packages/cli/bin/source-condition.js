// A module-resolution hook (node:module `register`) adding the `source` export condition, the
// equivalent of `node --conditions=source`: workspace packages then resolve to src/index.ts.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('source')
    ? context.conditions
    : [...context.conditions, 'source'];
  return nextResolve(specifier, { ...context, conditions });
}
