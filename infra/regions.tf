# Multi-region sharing (issue 7, part 3), primary side. The primary region's deployment (this
# module) lets its Lambdas write the token to the parameter of the same name in each replica
# region; the replica parameters themselves are created with modules/token-cache-replica and an
# aliased provider per region (provider configurations cannot be generated from a list). The
# whole pattern, including the replica regions' own Lambdas, is in regions.md.

variable "token_cache_replica_regions" {
  description = "Other AWS regions whose parameter of the same name receives every refreshed token (MultiRegionStore). null (default) = single region. Each region's parameter is created with modules/token-cache-replica; see regions.md."
  type        = list(string)
  default     = null

  # null rather than [] means "single region": `x == null` is a plain comparison, whereas
  # comparing a list(string) with the empty tuple [] is always false in Terraform.
  validation {
    condition     = alltrue([for region in (var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions) : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", region))])
    error_message = "token_cache_replica_regions must be null or a list of AWS region codes such as \"eu-west-1\"."
  }

  validation {
    condition     = length(var.token_cache_replica_regions == null ? ["single-region"] : var.token_cache_replica_regions) > 0
    error_message = "token_cache_replica_regions must be null (single region) or a non-empty list."
  }

  validation {
    condition     = length(distinct(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions)) == length(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions) && !contains(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions, var.aws_region)
    error_message = "token_cache_replica_regions must not repeat a region or include aws_region (the primary)."
  }
}

data "aws_iam_policy_document" "token_cache_replicas" {
  # Read (a replica may serve a Lambda's cold start) and write (replication) on exactly the
  # replica parameters. No lease there: the lease lives in the primary only, and the refresher
  # writes replicas with a plain PutParameter.
  dynamic "statement" {
    for_each = var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions

    content {
      sid       = "ReplicaParameterAccess${statement.key}"
      effect    = "Allow"
      actions   = ["ssm:GetParameter", "ssm:PutParameter"]
      resources = ["arn:${data.aws_partition.current.partition}:ssm:${statement.value}:${data.aws_caller_identity.current.account_id}:parameter${local.token_cache_parameter_name}"]
    }
  }
}

resource "aws_iam_role_policy" "token_cache_replicas" {
  count = var.token_cache_replica_regions == null ? 0 : 1

  name   = "token-cache-replicas"
  role   = aws_iam_role.token_cache_lambda.id
  policy = data.aws_iam_policy_document.token_cache_replicas.json
}
