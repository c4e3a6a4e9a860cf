/**
 * Names the configured shared store the way operators know it.
 */
import type { TokenCacheSettings } from '@token-cache/core/internal';

/**
 * `ssm:<parameter name>`, `dynamodb:<table>/<item key>` or `none` (shared tier off).
 *
 * @example
 * ```ts
 * storeDescription(settings); // 'ssm:/vwc/dev/auth0-token-cache'
 * ```
 */
export function storeDescription(settings: TokenCacheSettings): string {
  if (!settings.shared) return 'none';
  if (settings.storeKind === 'dynamodb') {
    return `dynamodb:${settings.dynamoDbTable}/${settings.dynamoDbItemKey ?? 'auth0-token-cache'}`;
  }
  return `ssm:${settings.parameterName}`;
}
