# The seed's "automatic token refresh": EventBridge Scheduler invokes the refresher on a fixed
# rate; it renews the shared token once its remaining life drops below
# refresh_threshold_minutes, so user-facing invocations always find a fresh token and never
# wait for Auth0.

locals {
  # Minutes between two runs, parsed from "rate(<n> <unit>)" (validated in variables.tf).
  refresh_interval_minutes = (
    tonumber(regex("^rate\\(([0-9]+) ", var.refresh_schedule_expression)[0]) *
    lookup({ minute = 1, minutes = 1, hour = 60, hours = 60, day = 1440, days = 1440 }, regex(" ([a-z]+)\\)$", var.refresh_schedule_expression)[0])
  )
}

data "aws_iam_policy_document" "scheduler_assume_role" {
  statement {
    sid     = "SchedulerAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    # Confused-deputy guard recommended for Scheduler's execution role
    # (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# The schedule runs in the primary region only: its refresher writes every region (regions.md),
# and the scheduler role, like every IAM role, is global (a replica deployment's copy would
# collide with the primary's).
resource "aws_iam_role" "token_refresher_scheduler" {
  count = local.is_primary_deployment ? 1 : 0

  name               = "${local.name_prefix}-token-refresher-scheduler"
  description        = "Lets EventBridge Scheduler invoke the ${var.environment} token refresher, and nothing else"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume_role.json
  tags               = local.tags
}

data "aws_iam_policy_document" "token_refresher_scheduler" {
  statement {
    sid       = "InvokeTokenRefresher"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.token_refresher.arn]
  }
}

resource "aws_iam_role_policy" "token_refresher_scheduler" {
  count = local.is_primary_deployment ? 1 : 0

  name   = "invoke-token-refresher"
  role   = aws_iam_role.token_refresher_scheduler[0].id
  policy = data.aws_iam_policy_document.token_refresher_scheduler.json
}

resource "aws_scheduler_schedule" "token_refresher" {
  count = local.is_primary_deployment ? 1 : 0

  name        = "${local.name_prefix}-token-refresher"
  group_name  = "default"
  description = "Refreshes the shared Auth0 token of ${var.environment} before it nears expiry"

  schedule_expression = var.refresh_schedule_expression

  # Exact times: a flexible window would eat into the margin between the schedule interval and
  # the refresh threshold.
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.token_refresher.arn
    role_arn = aws_iam_role.token_refresher_scheduler[0].arn
    input    = jsonencode({ source = "vwc.token-refresher.schedule" })

    # A missed run is covered by the next one (the threshold leaves room for one failure), so
    # retries only need to absorb a transient invoke error.
    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 300
    }
  }

  lifecycle {
    precondition {
      # Worst case, the token is just above the threshold at one run and must still be outside
      # the library's 5-minute refresh window at the next: threshold > interval + 5 min, plus
      # 5 min of slack for a slow run.
      condition     = var.refresh_threshold_minutes >= local.refresh_interval_minutes + 10
      error_message = "refresh_threshold_minutes must be at least the refresh_schedule_expression interval plus 10 minutes, otherwise the token can expire into the user-facing refresh window between two runs."
    }
  }
}
