# The shared token cache: one SSM parameter that every Lambda container reads, and that the
# library (packages/token-cache) rewrites with a versioned JSON envelope whenever it obtains a
# new token. See docs/operations.md for deploying, verifying and rolling back.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  name_prefix = "vwc-${var.environment}"

  tags = {
    Project     = "VehicleWellnessCenter"
    Environment = var.environment
    ManagedBy   = "Terraform"
  }

  token_cache_parameter_name = "/vwc/${var.environment}/auth0-token-cache"

  # The refresh lease (guarantee 4 in the design: one endpoint call per refresh for the whole
  # fleet) lives in a second parameter that the library creates and deletes at run time with
  # PutParameter(Overwrite=false) / DeleteParameter. It is not a Terraform resource, so its
  # ARN is built here. SSM ARNs drop the name's leading slash after "parameter"
  # (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html).
  token_cache_lock_parameter_name = "${local.token_cache_parameter_name}-lock"
  token_cache_lock_parameter_arn  = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter${local.token_cache_lock_parameter_name}"
}

# Auth0 token cache in Parameter Store.
resource "aws_ssm_parameter" "auth0_token_cache" {
  name        = local.token_cache_parameter_name
  description = "Shared Auth0 M2M bearer token of the ${var.environment} Lambda fleet (JSON envelope written by the token cache)"
  type        = var.token_cache_parameter_type
  key_id      = var.token_cache_kms_key_arn
  tier        = var.token_cache_parameter_tier

  # The library treats this placeholder as "no token yet" (a cache miss, never a crash). SSM
  # rejects empty values, which is why the placeholder is a word.
  value = "not-initialized"

  tags = local.tags

  lifecycle {
    # The runtime owns the value: the Lambdas write a fresh token envelope about once a day.
    # Without this, every `terraform apply` would reset it to the placeholder and force the
    # whole fleet back to Auth0. The description is ignored for the same reason (older
    # deployments of the seed design wrote metadata there).
    ignore_changes = [value, description]
  }
}
