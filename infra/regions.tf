# Multi-region sharing (issue 7, part 3). The primary region's deployment (token_cache_replica_regions
# set, token_cache_primary_region null) owns the Lambdas' role, and grants it what a container
# in any listed region does: read and write the parameter (or table item) of the same name in
# each replica region, and write its logs there. Each replica region is a deployment of this
# same module with token_cache_primary_region, the same replica list, and the primary's role
# (existing_lambda_role_arn). The whole pattern is in regions.md.

variable "token_cache_replica_regions" {
  description = "Other AWS regions whose parameter (or table) of the same name receives every refreshed token (MultiRegionStore). The same list in the primary's and in every replica region's deployment. null (default) = single region. See regions.md."
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
    condition     = length(distinct(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions)) == length(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions) && !contains(var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions, var.token_cache_primary_region == null ? var.aws_region : var.token_cache_primary_region)
    error_message = "token_cache_replica_regions must not repeat a region or include the primary region (aws_region, or token_cache_primary_region in a replica region's deployment)."
  }
}

variable "token_cache_primary_region" {
  description = "Set only in a replica region's deployment: the primary region (the one whose deployment owns the role, the lease and the refresh schedule). Requires token_cache_replica_regions (the primary's list, which includes aws_region) and existing_lambda_role_arn (the primary's role). null (default) = this deployment is the primary, or the only one."
  type        = string
  default     = null

  validation {
    condition     = var.token_cache_primary_region == null || can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.token_cache_primary_region))
    error_message = "token_cache_primary_region must be null or an AWS region code such as \"us-west-2\"."
  }

  validation {
    condition     = var.token_cache_primary_region == null ? true : var.token_cache_primary_region != var.aws_region
    error_message = "token_cache_primary_region must be null in the primary region's own deployment (it differs from aws_region only in a replica region)."
  }

  validation {
    # The replica lists of all deployments agree, so every container writes every region.
    condition     = var.token_cache_primary_region == null ? true : (var.token_cache_replica_regions == null ? false : contains(var.token_cache_replica_regions, var.aws_region))
    error_message = "token_cache_primary_region needs token_cache_replica_regions: the primary's list, which includes this deployment's aws_region."
  }

  validation {
    # A role of its own would hold grants for this region only; the primary's role holds the
    # grants on the primary's parameter, lock and every replica (and a same-named role collides).
    condition     = var.token_cache_primary_region == null ? true : var.existing_lambda_role_arn != null
    error_message = "token_cache_primary_region needs existing_lambda_role_arn: a replica region's Lambdas use the primary deployment's role (its lambda_role_arn output)."
  }
}

locals {
  is_primary_deployment      = var.token_cache_primary_region == null
  token_cache_primary_region = local.is_primary_deployment ? var.aws_region : var.token_cache_primary_region
  token_cache_replica_list   = var.token_cache_replica_regions == null ? [] : var.token_cache_replica_regions
}

data "aws_iam_policy_document" "token_cache_replicas" {
  # Read (a replica serves its region's cold starts) and write (whichever container refreshes
  # writes every region) on exactly the replica parameters. No lease there: the lease lives in
  # the primary only, and replicas are written with a plain PutParameter.
  dynamic "statement" {
    for_each = var.token_store == "ssm" ? local.token_cache_replica_list : []

    content {
      sid       = "ReplicaParameterAccess${statement.key}"
      effect    = "Allow"
      actions   = ["ssm:GetParameter", "ssm:PutParameter"]
      resources = ["arn:${data.aws_partition.current.partition}:ssm:${statement.value}:${data.aws_caller_identity.current.account_id}:parameter${local.token_cache_parameter_name}"]
    }
  }

  # The DynamoDB store: the same table name in each region, the token item only (the lease item
  # stays in the primary's table).
  dynamic "statement" {
    for_each = var.token_store == "dynamodb" ? local.token_cache_replica_list : []

    content {
      sid       = "ReplicaTableAccess${statement.key}"
      effect    = "Allow"
      actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
      resources = ["arn:${data.aws_partition.current.partition}:dynamodb:${statement.value}:${data.aws_caller_identity.current.account_id}:table/${local.token_cache_table_name}"]

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "dynamodb:LeadingKeys"
        values   = ["${var.token_cache_table_item_key}#token"]
      }
    }
  }

  # The replica regions' functions run with this role too: their log groups have the same names
  # in their own region (lambda.tf), so the role needs their ARNs as well.
  dynamic "statement" {
    for_each = local.token_cache_replica_list

    content {
      sid     = "ReplicaLogs${statement.key}"
      effect  = "Allow"
      actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [
        "arn:${data.aws_partition.current.partition}:logs:${statement.value}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${local.name_prefix}-get-vehicle-overview:log-stream:*",
        "arn:${data.aws_partition.current.partition}:logs:${statement.value}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${local.name_prefix}-token-refresher:log-stream:*",
      ]
    }
  }
}

resource "aws_iam_role_policy" "token_cache_replicas" {
  count = var.token_cache_replica_regions != null && local.create_lambda_role ? 1 : 0

  name   = "token-cache-replicas"
  role   = aws_iam_role.token_cache_lambda[0].id
  policy = data.aws_iam_policy_document.token_cache_replicas.json
}
