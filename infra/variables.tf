# Every input of the token-cache deployment. Each one has a description and a type, and a
# validation wherever a bad value would otherwise surface only at apply time or, worse, at run
# time inside a Lambda (a wrong parameter type, a KMS alias where IAM needs a key ARN, ...).

variable "environment" {
  description = "Deployment environment (dev, staging, prod, ...). Part of the parameter path /vwc/<environment>/auth0-token-cache and of every resource name."
  type        = string

  validation {
    # Lower-case letters, digits and dashes keep it valid in an SSM path segment, an IAM role
    # name, a Lambda function name and a schedule name alike (the strictest of the four).
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.environment))
    error_message = "environment must be 1-20 characters: a lower-case letter, then lower-case letters, digits or dashes (e.g. \"dev\")."
  }
}

variable "aws_region" {
  description = "AWS region to deploy to. The terraform-vwc user's policy (terraform-vwc-core-policy-updated.json) is scoped to us-west-2."
  type        = string
  default     = "us-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region code such as \"us-west-2\"."
  }
}

variable "app_secret_arn" {
  description = "Full ARN (with its 6-character suffix) of the existing Secrets Manager secret holding the application's credentials: AUTH0_DOMAIN, AUTH0_M2M_CLIENT_ID, AUTH0_M2M_CLIENT_SECRET, AUTH0_AUDIENCE (and the MongoDB connection). This module reads it but never creates or manages it."
  type        = string

  validation {
    # A full ARN, not a name or partial ARN: IAM matches the Resource element literally, and
    # AWS appends a random suffix to every secret ARN
    # (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$", var.app_secret_arn))
    error_message = "app_secret_arn must be a full Secrets Manager secret ARN ending in the 6-character suffix, e.g. arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app-AbCdEf."
  }
}

variable "existing_lambda_role_arn" {
  description = "ARN of an existing IAM role for the Lambdas to use instead of creating vwc-<environment>-token-cache-lambda. Set it in a replica region's deployment to the primary deployment's lambda_role_arn output: IAM is global, so a second role of the same name would collide, and the primary's policies already cover every region (regions.md). null (default) = this deployment creates the role and its policies."
  type        = string
  default     = null

  validation {
    # A role ARN (optionally with a path), not a role name or an instance profile: Lambda's
    # Role argument takes the ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
    condition     = var.existing_lambda_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$", var.existing_lambda_role_arn))
    error_message = "existing_lambda_role_arn must be null or an IAM role ARN such as arn:aws:iam::123456789012:role/vwc-dev-token-cache-lambda."
  }
}

variable "token_cache_parameter_type" {
  description = "SSM parameter type of the token cache: SecureString (default; the bearer token is a credential) or String (no KMS involved)."
  type        = string
  default     = "SecureString"

  validation {
    condition     = contains(["SecureString", "String"], var.token_cache_parameter_type)
    error_message = "token_cache_parameter_type must be \"SecureString\" or \"String\"."
  }
}

variable "token_cache_kms_key_arn" {
  description = "ARN of a customer-managed KMS key encrypting the SecureString parameter. null (default) = the AWS-managed aws/ssm key, which needs no KMS statement in the role's policy."
  type        = string
  default     = null

  validation {
    # A key ARN, not an alias: an IAM policy's Resource for kms:Decrypt/Encrypt must name the
    # key itself (https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html).
    condition     = var.token_cache_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.token_cache_kms_key_arn))
    error_message = "token_cache_kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }

  validation {
    condition     = var.token_cache_kms_key_arn == null || var.token_cache_parameter_type == "SecureString"
    error_message = "token_cache_kms_key_arn can only be set when token_cache_parameter_type is \"SecureString\"."
  }
}

variable "token_cache_parameter_tier" {
  description = "SSM parameter tier: Standard (default, free, values up to 4 KB), Advanced (8 KB, charged per parameter-month) or Intelligent-Tiering."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Advanced", "Intelligent-Tiering"], var.token_cache_parameter_tier)
    error_message = "token_cache_parameter_tier must be \"Standard\", \"Advanced\" or \"Intelligent-Tiering\"."
  }
}

variable "token_cache_placeholder_version" {
  description = "Version of the placeholder Terraform writes into the token-cache parameter through the write-only value_wo. Terraform writes `not-initialized` again only when this number changes: bump it to reset the parameter (the fleet then fetches one new token), which is also the way to change the parameter's type, tier or key on an existing deployment."
  type        = number
  default     = 1

  validation {
    # The provider's value_wo_version is an integer; whole numbers from 1 keep it a counter.
    condition     = var.token_cache_placeholder_version == floor(var.token_cache_placeholder_version) && var.token_cache_placeholder_version >= 1
    error_message = "token_cache_placeholder_version must be a whole number of at least 1 (bump it by one to rewrite the placeholder)."
  }
}

variable "token_cache_shared" {
  description = "Whether the Lambdas share the token through Parameter Store. false sets TOKEN_CACHE_SHARED=off: every container keeps its own in-memory token (the rollback switch; no code change)."
  type        = bool
  default     = true
}

variable "mongodb_database" {
  description = "MongoDB database name passed to get_vehicle_overview as MONGODB_DATABASE."
  type        = string
  default     = "vehicle_wellness_center"

  validation {
    # MongoDB forbids these characters in database names and caps them at 64 bytes
    # (https://www.mongodb.com/docs/manual/reference/limits/#naming-restrictions).
    condition     = can(regex("^[^/\\\\. \"$*<>:|?]{1,63}$", var.mongodb_database))
    error_message = "mongodb_database must be 1-63 characters without / \\ . space \" $ * < > : | ?."
  }
}

variable "vehicle_api_url" {
  description = "Base URL of the protected vehicle API that get_vehicle_overview calls with the bearer token (GET <url>/vehicles/{id}/overview)."
  type        = string

  validation {
    # HTTPS only: the request carries a bearer token (RFC 6750 section 5.3).
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^?#\\s]*)?$", var.vehicle_api_url))
    error_message = "vehicle_api_url must be an https:// URL without query or fragment, e.g. https://api.example.com/v1."
  }
}

variable "refresh_schedule_expression" {
  description = "EventBridge Scheduler rate expression for the token refresher, e.g. \"rate(1 hour)\"."
  type        = string
  default     = "rate(1 hour)"

  validation {
    # Scheduler's rate syntax: singular unit for 1, plural otherwise
    # (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#rate-based).
    condition     = can(regex("^rate\\((1 (minute|hour|day)|[1-9][0-9]* (minutes|hours|days))\\)$", var.refresh_schedule_expression)) && !can(regex("^rate\\(1 (minutes|hours|days)\\)$", var.refresh_schedule_expression))
    error_message = "refresh_schedule_expression must be a rate expression such as \"rate(1 hour)\" or \"rate(30 minutes)\" (singular unit for 1, plural otherwise)."
  }
}

variable "refresh_threshold_minutes" {
  description = "The refresher obtains a new token when the stored one expires within this many minutes. Must exceed the schedule interval plus the library's 5-minute refresh window, so user-facing calls never wait for the token endpoint."
  type        = number
  default     = 120

  validation {
    # Below 10 minutes the refresher would race the library's own 5-minute window; at or above
    # the token lifetime (Auth0 default 24 h) every scheduled run would fetch a new token.
    condition     = var.refresh_threshold_minutes == floor(var.refresh_threshold_minutes) && var.refresh_threshold_minutes >= 10 && var.refresh_threshold_minutes <= 1380
    error_message = "refresh_threshold_minutes must be a whole number between 10 and 1380 (23 hours)."
  }
}

variable "log_retention_days" {
  description = "Retention of the Lambda log groups, in days."
  type        = number
  default     = 30

  validation {
    # The values CloudWatch Logs accepts for PutRetentionPolicy.
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "endpoint_fetch_daily_threshold" {
  description = "Alarm when the fleet calls the token endpoint more than this many times in one day. A healthy shared tier needs about one call per token lifetime (24 h), so a high count means the shared tier is broken."
  type        = number
  default     = 10

  validation {
    condition     = var.endpoint_fetch_daily_threshold == floor(var.endpoint_fetch_daily_threshold) && var.endpoint_fetch_daily_threshold >= 1
    error_message = "endpoint_fetch_daily_threshold must be a whole number of at least 1."
  }
}

variable "store_throttle_threshold" {
  description = "Alarm when Parameter Store throttles the cache more than this many times within 5 minutes."
  type        = number
  default     = 10

  validation {
    condition     = var.store_throttle_threshold == floor(var.store_throttle_threshold) && var.store_throttle_threshold >= 1
    error_message = "store_throttle_threshold must be a whole number of at least 1."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when an alarm fires or recovers. Empty = the alarms are only visible in the CloudWatch console."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", arn))])
    error_message = "alarm_actions must contain SNS topic ARNs such as arn:aws:sns:us-west-2:123456789012:alerts."
  }
}

variable "auth0_monthly_token_quota" {
  description = "Machine-to-machine tokens the Auth0 plan issues per month (free plan: 1,000). The dashboard draws it as a line above the fleet's running 30-day total of token-endpoint calls."
  type        = number
  default     = 1000

  validation {
    condition     = var.auth0_monthly_token_quota == floor(var.auth0_monthly_token_quota) && var.auth0_monthly_token_quota >= 1 && var.auth0_monthly_token_quota <= 100000000
    error_message = "auth0_monthly_token_quota must be a whole number between 1 and 100000000 (the Auth0 plan's monthly M2M token allowance, e.g. 1000)."
  }
}

variable "ssm_high_throughput_enabled" {
  description = "true = this deployment turns on Parameter Store's higher-throughput setting (/ssm/parameter-store/high-throughput-enabled) for the WHOLE account in this region: every Parameter Store API call of every application there is then charged. false (default) = the setting is left alone, whatever its current value. Manage it from one deployment per account and region only: destroying that deployment resets the setting. See docs/stores.md."
  type        = bool
  default     = false
}
