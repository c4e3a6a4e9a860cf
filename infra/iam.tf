# Least-privilege execution role shared by the two token-cache Lambdas. Both do the same
# things with the token (read the cache, refresh it under the lease), so one role with one
# policy keeps the grants in one place; each statement names exact ARNs, never a wildcard
# over a path.
#
# IAM is global: a second deployment of this module in another region (a multi-region
# replica, regions.md) would try to create a role of the same name and fail. Such a deployment
# sets existing_lambda_role_arn to the primary's lambda_role_arn output, and then creates
# neither the role nor any of its policies: the primary's policies already cover every region
# (regions.tf).

locals {
  create_lambda_role = var.existing_lambda_role_arn == null
  lambda_role_arn    = local.create_lambda_role ? aws_iam_role.token_cache_lambda[0].arn : var.existing_lambda_role_arn
}

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    # Confused-deputy guard: only Lambda acting for this account may assume the role
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "token_cache_lambda" {
  count = local.create_lambda_role ? 1 : 0

  name               = "${local.name_prefix}-token-cache-lambda"
  description        = "Execution role of the ${var.environment} Lambdas that share the Auth0 token through Parameter Store"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
  tags               = local.tags
}

data "aws_iam_policy_document" "token_cache_lambda" {
  # Read the shared token and write a new one. Nothing else on this parameter: no
  # DeleteParameter (clearing writes the placeholder instead), no GetParametersByPath.
  statement {
    sid       = "ParameterStoreAccess"
    effect    = "Allow"
    actions   = ["ssm:GetParameter", "ssm:PutParameter"]
    resources = [aws_ssm_parameter.auth0_token_cache.arn]
  }

  # The refresh lease: created if absent, read, and deleted when released, on its exact ARN.
  statement {
    sid       = "RefreshLeaseAccess"
    effect    = "Allow"
    actions   = ["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"]
    resources = [local.token_cache_lock_parameter_arn]
  }

  # Only with a customer-managed key: the AWS-managed aws/ssm key needs no statement. Standard
  # parameters are encrypted with kms:Encrypt/kms:Decrypt directly; Advanced ones use envelope
  # encryption (kms:GenerateDataKey + kms:Decrypt)
  # (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html).
  # kms:ViaService confines the key to requests SSM makes on the role's behalf, and SSM only
  # acts on the parameters the statements above allow. The lease parameter is a plain String
  # (owner id and expiry, nothing secret), so it never involves the key.
  dynamic "statement" {
    for_each = var.token_cache_kms_key_arn == null ? [] : [var.token_cache_kms_key_arn]

    content {
      sid       = "TokenCacheKmsKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }

  # The Auth0 client credentials, read once per container.
  statement {
    sid       = "AppSecretRead"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.app_secret_arn]
  }

  # Logs (and the EMF metrics embedded in them) go to the log groups Terraform creates in
  # lambda.tf, so the role needs no logs:CreateLogGroup.
  statement {
    sid     = "CloudWatchLogs"
    effect  = "Allow"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "${aws_cloudwatch_log_group.get_vehicle_overview.arn}:log-stream:*",
      "${aws_cloudwatch_log_group.token_refresher.arn}:log-stream:*",
    ]
  }
}

# An inline policy: it lives and dies with the role, and the terraform-vwc user then needs no
# iam:CreatePolicy on managed-policy ARNs.
resource "aws_iam_role_policy" "token_cache_lambda" {
  count = local.create_lambda_role ? 1 : 0

  name   = "token-cache"
  role   = aws_iam_role.token_cache_lambda[0].id
  policy = data.aws_iam_policy_document.token_cache_lambda.json
}
