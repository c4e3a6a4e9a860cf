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
  # rejects empty values, which is why the placeholder is a word. It is written through the
  # write-only value_wo, not value: the provider still decrypts the parameter on every refresh,
  # but with value_wo in use its read sets value to null instead of storing what it read, so the
  # live bearer token the Lambdas write never lands in Terraform state or plan files
  # (docs/operations.md, "No token in Terraform state"). Terraform sends value_wo only when
  # value_wo_version changes: bumping the variable rewrites the placeholder, nothing else does.
  value_wo         = "not-initialized"
  value_wo_version = var.token_cache_placeholder_version

  tags = local.tags

  lifecycle {
    # The runtime owns the value: the Lambdas write a fresh token envelope about once a day, and
    # Terraform never sees it (value_wo is not stored, value is read back as null). The
    # description is ignored because older deployments of the seed design wrote metadata
    # there. value_wo_version must stay out of this list, or bumping it would do nothing.
    ignore_changes = [description]
  }
}
