# One CloudWatch dashboard for the token cache: what the alarms watch, at a glance, plus what
# they cannot show (the Auth0 quota, how often each tier answers, why the endpoint failed).
# Every metric is one the library emits as EMF (packages/token-cache/src/events.ts METRIC_NAMES,
# namespace TokenCache, dimensions CacheName + Environment exactly, as alarms.tf explains);
# infra/test/dashboard.test.ts checks each widget against that list.

locals {
  # The dimension pairs of every metric, in the order a dashboard metric array takes them.
  dashboard_dimensions = ["CacheName", local.token_cache_name, "Environment", var.environment]

  # Logs Insights reads both functions' structured log lines; each carries tokenCacheEvent.
  dashboard_log_sources = "SOURCE '${aws_cloudwatch_log_group.get_vehicle_overview.name}' | SOURCE '${aws_cloudwatch_log_group.token_refresher.name}'"
}

resource "aws_cloudwatch_dashboard" "token_cache" {
  dashboard_name = "${local.name_prefix}-token-cache"

  dashboard_body = jsonencode({
    widgets = [
      {
        # A healthy fleet asks for about one token a day; the Auth0 plan counts every token it
        # issues. The running total over the 30 days shown approximates the plan's month and
        # shares the left axis with the quota; the daily count, far smaller, has the right one.
        type   = "metric"
        x      = 0
        y      = 0
        width  = 24
        height = 6
        properties = {
          title  = "Tokens issued (EndpointFetch): per day, and the running total against the Auth0 monthly quota"
          region = data.aws_region.current.region
          view   = "timeSeries"
          start  = "-P30D"
          period = 86400
          stat   = "Sum"
          metrics = [
            concat([local.metrics_namespace, "EndpointFetch"], local.dashboard_dimensions, [{ id = "issued", label = "Tokens issued per day (right axis)", yAxis = "right" }]),
            [{ id = "running", expression = "RUNNING_SUM(FILL(issued, 0))", label = "Running total over the period shown" }],
          ]
          annotations = {
            horizontal = [{ label = "Auth0 monthly quota", value = var.auth0_monthly_token_quota }]
          }
          yAxis = { left = { min = 0 }, right = { min = 0 } }
        }
      },
      {
        # Which tier answered getToken(): memory (no I/O), the shared store, or the token
        # endpoint. A falling memory share means containers are recycled often; a rising
        # endpoint share means the shared tier is not being read.
        type   = "metric"
        x      = 0
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Answers by tier (% of memory hits + store hits + endpoint fetches)"
          region = data.aws_region.current.region
          view   = "timeSeries"
          period = 3600
          stat   = "Sum"
          metrics = [
            concat([local.metrics_namespace, "MemoryHit"], local.dashboard_dimensions, [{ id = "memory", visible = false }]),
            concat([local.metrics_namespace, "StoreHit"], local.dashboard_dimensions, [{ id = "store", visible = false }]),
            concat([local.metrics_namespace, "EndpointFetch"], local.dashboard_dimensions, [{ id = "fetched", visible = false }]),
            [{ id = "memoryshare", expression = "100 * FILL(memory, 0) / (FILL(memory, 0) + FILL(store, 0) + FILL(fetched, 0))", label = "Memory tier %" }],
            [{ id = "storeshare", expression = "100 * FILL(store, 0) / (FILL(memory, 0) + FILL(store, 0) + FILL(fetched, 0))", label = "Shared store %" }],
            [{ id = "endpointshare", expression = "100 * FILL(fetched, 0) / (FILL(memory, 0) + FILL(store, 0) + FILL(fetched, 0))", label = "Token endpoint %" }],
          ]
          yAxis = { left = { min = 0, max = 100 } }
        }
      },
      {
        # Containers that waited for another one's refresh (single-flight working), and leases
        # taken over from a holder that stopped (a crash or a frozen container).
        type   = "metric"
        x      = 12
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Refresh leases: waits, takeovers and renewals"
          region = data.aws_region.current.region
          view   = "timeSeries"
          period = 300
          stat   = "Sum"
          metrics = [
            concat([local.metrics_namespace, "LeaseWait"], local.dashboard_dimensions, [{ label = "Waited for another container's refresh" }]),
            concat([local.metrics_namespace, "LeaseTakeover"], local.dashboard_dimensions, [{ label = "Took over a stale lease" }]),
            concat([local.metrics_namespace, "LeaseRenewal"], local.dashboard_dimensions, [{ label = "Renewed a lease (slow refresh)" }]),
          ]
          yAxis = { left = { min = 0 } }
        }
      },
      {
        # The throttle alarm's metric with its threshold, and every store failure.
        type   = "metric"
        x      = 0
        y      = 12
        width  = 12
        height = 6
        properties = {
          title  = "Shared store: throttles and errors (per 5 minutes)"
          region = data.aws_region.current.region
          view   = "timeSeries"
          period = 300
          stat   = "Sum"
          metrics = [
            concat([local.metrics_namespace, "StoreThrottle"], local.dashboard_dimensions, [{ label = "Throttled calls (retried)" }]),
            concat([local.metrics_namespace, "StoreError"], local.dashboard_dimensions, [{ label = "Failed calls" }]),
          ]
          annotations = {
            horizontal = [{ label = "Throttle alarm threshold", value = var.store_throttle_threshold }]
          }
          yAxis = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 12
        width  = 12
        height = 6
        properties = {
          title  = "Token endpoint: failed calls, and tokens served stale while it fails"
          region = data.aws_region.current.region
          view   = "timeSeries"
          period = 300
          stat   = "Sum"
          metrics = [
            concat([local.metrics_namespace, "EndpointError"], local.dashboard_dimensions, [{ label = "Failed endpoint calls" }]),
            concat([local.metrics_namespace, "StaleServe"], local.dashboard_dimensions, [{ label = "Still-usable token served" }]),
          ]
          yAxis = { left = { min = 0 } }
        }
      },
      {
        # EndpointError carries no kind dimension, so the breakdown comes from the log line the
        # library writes for each failure: its HTTP status and OAuth error code (never a token).
        type   = "log"
        x      = 0
        y      = 18
        width  = 24
        height = 6
        properties = {
          title  = "Token endpoint errors by kind (HTTP status, OAuth error)"
          region = data.aws_region.current.region
          view   = "table"
          query  = "${local.dashboard_log_sources} | filter tokenCacheEvent = 'endpoint-error' | stats count(*) as failures by status, error | sort failures desc"
        }
      },
    ]
  })
}
