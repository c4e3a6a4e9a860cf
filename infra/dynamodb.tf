# The DynamoDB shared store (issue 7): an on-demand table the library's DynamoDbStore
# (packages/token-cache/src/stores/dynamodb-store.ts) keeps the token and the refresh lease in,
# for fleets whose cold-start bursts exceed SSM's 40 reads/s per account and region. Off by
# default: everything here has count = 0 unless token_store = "dynamodb". See docs/stores.md.

variable "token_store" {
  description = "Where the fleet shares the token: \"ssm\" (default, the Parameter Store parameter) or \"dynamodb\" (an on-demand table with no fixed read quota, for large cold-start bursts; see docs/stores.md)."
  type        = string
  default     = "ssm"

  validation {
    condition     = contains(["ssm", "dynamodb"], var.token_store)
    error_message = "token_store must be \"ssm\" or \"dynamodb\"."
  }
}

variable "token_cache_table_name" {
  description = "Name of the DynamoDB token-cache table when token_store = \"dynamodb\". null (default) = vwc-<environment>-auth0-token-cache."
  type        = string
  default     = null

  validation {
    # CreateTable's naming rule: 3-255 characters of letters, digits, underscore, dash and dot.
    condition     = var.token_cache_table_name == null || can(regex("^[A-Za-z0-9_.-]{3,255}$", var.token_cache_table_name))
    error_message = "token_cache_table_name must be null or 3-255 characters of letters, digits, \"_\", \"-\" and \".\"."
  }
}

variable "token_cache_table_item_key" {
  description = "Partition-key prefix of the cache's items (<item key>#token, <item key>#lease), passed to the Lambdas as TOKEN_CACHE_DYNAMODB_ITEM_KEY. The IAM policy allows exactly these two items."
  type        = string
  default     = "auth0-token-cache"

  validation {
    # "#" separates the prefix from the record name; the library refuses it too.
    condition     = can(regex("^[^#]{1,200}$", var.token_cache_table_item_key))
    error_message = "token_cache_table_item_key must be 1-200 characters without \"#\"."
  }
}

variable "token_cache_table_kms_key_arn" {
  description = "ARN of a customer-managed KMS key for the table's encryption at rest. null (default) = the AWS-managed aws/dynamodb key (KMS-protected like a SecureString parameter with aws/ssm, no key policy to manage)."
  type        = string
  default     = null

  validation {
    condition     = var.token_cache_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.token_cache_table_kms_key_arn))
    error_message = "token_cache_table_kms_key_arn must be null or a KMS key ARN (not an alias), e.g. arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

locals {
  token_cache_table_enabled = var.token_store == "dynamodb"
  token_cache_table_name    = var.token_cache_table_name == null ? "${local.name_prefix}-auth0-token-cache" : var.token_cache_table_name

  # Built rather than read from the counted resource, so the policy document below renders
  # whether or not the table exists (it is attached only when it does).
  token_cache_table_arn = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/${local.token_cache_table_name}"

  # The library's configuration for this store. lambda.tf merges it into both functions'
  # environment; it is empty when the fleet shares through SSM.
  token_cache_table_environment = local.token_cache_table_enabled ? {
    TOKEN_CACHE_STORE             = "dynamodb"
    TOKEN_CACHE_DYNAMODB_TABLE    = local.token_cache_table_name
    TOKEN_CACHE_DYNAMODB_ITEM_KEY = var.token_cache_table_item_key
  } : {}
}

resource "aws_dynamodb_table" "token_cache" {
  count = local.token_cache_table_enabled ? 1 : 0

  name = local.token_cache_table_name
  # On-demand: no capacity to plan and no account-wide read quota like SSM's 40/s. The token is
  # one item, so one partition bounds it: 3,000 read units/s, i.e. about 3,000 strongly
  # consistent reads/s of a token envelope under 4 KB
  # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  # The library sets `ttl` (epoch seconds) to the token's or lease's expiry plus a margin, so
  # old items disappear on their own. DynamoDB deletes expired items only within a few days,
  # which is why the library also ignores items past their TTL.
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  # KMS encryption at rest: the aws/dynamodb key by default, or a customer-managed key.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.token_cache_table_kms_key_arn
  }

  # No point-in-time recovery: the table holds a cache that one token-endpoint call rebuilds,
  # and restoring an old bearer token would serve nothing useful.
  point_in_time_recovery {
    enabled = false
  }

  tags = local.tags
}

data "aws_iam_policy_document" "token_cache_table" {
  # The DynamoDbStore's whole API surface: GetItem (consistent reads) and UpdateItem (every
  # write, including delete, which leaves a tombstone). No Scan/Query/PutItem/DeleteItem, and
  # only the cache's own two items, by partition key
  # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
  statement {
    sid       = "TokenCacheTableItems"
    effect    = "Allow"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [local.token_cache_table_arn]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "dynamodb:LeadingKeys"
      values   = ["${var.token_cache_table_item_key}#token", "${var.token_cache_table_item_key}#lease"]
    }
  }

  # Only with a customer-managed key: DynamoDB uses it on behalf of the caller, so the caller
  # needs these actions, confined to requests DynamoDB makes (kms:ViaService)
  # (https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html).
  dynamic "statement" {
    for_each = var.token_cache_table_kms_key_arn == null ? [] : [var.token_cache_table_kms_key_arn]

    content {
      sid       = "TokenCacheTableKmsKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }
}

# Attached to the Lambdas' execution role (iam.tf) only when the table exists and the role is
# this deployment's (a replica region's table is granted by the primary, regions.tf).
resource "aws_iam_role_policy" "token_cache_table" {
  count = local.token_cache_table_enabled && local.create_lambda_role ? 1 : 0

  name   = "token-cache-dynamodb"
  role   = aws_iam_role.token_cache_lambda[0].id
  policy = data.aws_iam_policy_document.token_cache_table.json
}

output "token_cache_table_name" {
  description = "Name of the DynamoDB token-cache table (null when token_store = \"ssm\")."
  value       = local.token_cache_table_enabled ? local.token_cache_table_name : null
}
