# Alarms on the metrics the library emits as CloudWatch EMF (namespace TokenCache, dimensions
# CacheName + Environment; names from packages/token-cache/src/events.ts METRIC_NAMES).
# CloudWatch matches dimension sets exactly, which is why the library drops Powertools'
# default "service" dimension.

locals {
  metrics_namespace = "TokenCache"
  metric_dimensions = {
    CacheName   = local.token_cache_name
    Environment = var.environment
  }
}

# A healthy fleet asks the token endpoint about once per token lifetime (24 h). Many more calls
# mean the shared tier is not working (denied, throttled, disabled): every container is then
# fetching its own token, which burns the Auth0 monthly quota.
resource "aws_cloudwatch_metric_alarm" "endpoint_fetches" {
  alarm_name        = "${local.name_prefix}-token-cache-endpoint-fetches"
  alarm_description = "More than ${var.endpoint_fetch_daily_threshold} token-endpoint calls in a day: the shared token cache is probably broken. See docs/operations.md#alarms."
  namespace         = local.metrics_namespace
  metric_name       = "EndpointFetch"
  dimensions        = local.metric_dimensions
  statistic         = "Sum"
  # One day, the longest period x evaluation_periods CloudWatch allows for a standard alarm.
  period              = 86400
  evaluation_periods  = 1
  threshold           = var.endpoint_fetch_daily_threshold
  comparison_operator = "GreaterThanThreshold"
  # No fetch at all is the healthy steady state between refreshes.
  treat_missing_data = "notBreaching"
  alarm_actions      = var.alarm_actions
  ok_actions         = var.alarm_actions
  tags               = local.tags
}

# Parameter Store throttling (ThrottlingException, TooManyUpdates): the account-wide read quota
# (40/s by default) is shared with everything else in the account and region.
resource "aws_cloudwatch_metric_alarm" "store_throttles" {
  alarm_name          = "${local.name_prefix}-token-cache-store-throttles"
  alarm_description   = "Parameter Store throttled the token cache more than ${var.store_throttle_threshold} times in 5 minutes. See docs/operations.md#alarms."
  namespace           = local.metrics_namespace
  metric_name         = "StoreThrottle"
  dimensions          = local.metric_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.store_throttle_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}
