# The two Lambdas, bundled by `npm run bundle` (backend/scripts/bundle.ts) into one directory
# per function under backend/.build/: index.mjs and the chunks/ it loads (some only on the paths
# that need them), all zipped by archive_file. Run the bundle before `terraform plan`:
# archive_file zips whatever is there at plan time.

locals {
  bundle_dir = "${path.module}/../backend/.build"

  # The CacheName dimension of the library's metrics, which the alarms select on.
  token_cache_name = "auth0"

  # The library's configuration (packages/token-cache/src/config), identical for both
  # functions so they share one cache entry. AWS_REGION is deliberately absent: Lambda sets it
  # and rejects it as a reserved key
  # (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
  token_cache_environment = merge(
    {
      AWS_SECRET_ID              = var.app_secret_arn
      AUTH0_TOKEN_PARAMETER_NAME = aws_ssm_parameter.auth0_token_cache.name
      TOKEN_CACHE_SHARED         = var.token_cache_shared ? "on" : "off"
      TOKEN_CACHE_PARAMETER_TYPE = var.token_cache_parameter_type
      TOKEN_CACHE_PARAMETER_TIER = var.token_cache_parameter_tier
      TOKEN_CACHE_ENVIRONMENT    = var.environment
      TOKEN_CACHE_NAME           = local.token_cache_name
      # No --enable-source-maps: with it, Node reads and parses the source maps of everything a
      # cold start loads (0.58 MB for the entry and its static chunks), measured by
      # `npm run bench:cold-start` at +23 ms on a 94 ms import of get-vehicle-overview (about a
      # quarter), a price every cold start pays for a rare unexpected stack trace. The zip still
      # carries the maps (index.mjs.map, chunks/*.map): a minified trace from CloudWatch is decoded
      # against the maps of the same build, and an unused map costs nothing at run time.
    },
    # Overwriting a SecureString without a KeyId would silently switch it to aws/ssm, so the
    # key travels with every write (PutParameter, "KeyId").
    var.token_cache_kms_key_arn == null ? {} : { TOKEN_CACHE_KMS_KEY_ID = var.token_cache_kms_key_arn },
    # The DynamoDB store's settings (dynamodb.tf); empty when the fleet shares through SSM.
    local.token_cache_table_environment,
    # Multi-region sharing (regions.tf, regions.md): the same pair in every region's
    # deployment; AWS_REGION (set by Lambda) tells each container which region is its own.
    var.token_cache_replica_regions == null ? {} : {
      TOKEN_CACHE_PRIMARY_REGION  = local.token_cache_primary_region
      TOKEN_CACHE_REPLICA_REGIONS = join(",", var.token_cache_replica_regions)
    },
  )
}

data "archive_file" "get_vehicle_overview" {
  type        = "zip"
  source_dir  = "${local.bundle_dir}/get-vehicle-overview"
  output_path = "${path.module}/.build/get-vehicle-overview.zip"
}

data "archive_file" "token_refresher" {
  type        = "zip"
  source_dir  = "${local.bundle_dir}/token-refresher"
  output_path = "${path.module}/.build/token-refresher.zip"
}

# Created before the functions so that Lambda never auto-creates them without retention, and so
# the role needs no logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "get_vehicle_overview" {
  name              = "/aws/lambda/${local.name_prefix}-get-vehicle-overview"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "token_refresher" {
  name              = "/aws/lambda/${local.name_prefix}-token-refresher"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "get_vehicle_overview" {
  function_name    = "${local.name_prefix}-get-vehicle-overview"
  description      = "GET /vehicles/{id}/overview: calls the vehicle API with the shared Auth0 token"
  role             = local.lambda_role_arn
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  handler          = "index.handler"
  filename         = data.archive_file.get_vehicle_overview.output_path
  source_code_hash = data.archive_file.get_vehicle_overview.output_base64sha256
  memory_size      = 256
  # getToken() has a 10 s overall deadline; the API call gets its own timeout on top.
  timeout = 20
  tags    = local.tags

  environment {
    variables = merge(local.token_cache_environment, {
      MONGODB_DATABASE = var.mongodb_database
      VEHICLE_API_URL  = var.vehicle_api_url
    })
  }

  depends_on = [aws_cloudwatch_log_group.get_vehicle_overview, aws_iam_role_policy.token_cache_lambda]
}

resource "aws_lambda_function" "token_refresher" {
  function_name    = "${local.name_prefix}-token-refresher"
  description      = "Scheduled: refreshes the shared Auth0 token before it nears expiry"
  role             = local.lambda_role_arn
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  handler          = "index.handler"
  filename         = data.archive_file.token_refresher.output_path
  source_code_hash = data.archive_file.token_refresher.output_base64sha256
  memory_size      = 256
  timeout          = 30
  tags             = local.tags

  # No reserved concurrency: overlapping runs are already serialized by the refresh lease,
  # and reserving even 1 fails on accounts whose concurrency limit is still the new-account 10
  # (Lambda keeps 10 unreserved).

  environment {
    variables = merge(local.token_cache_environment, {
      TOKEN_REFRESH_THRESHOLD_MINUTES = tostring(var.refresh_threshold_minutes)
    })
  }

  depends_on = [aws_cloudwatch_log_group.token_refresher, aws_iam_role_policy.token_cache_lambda]
}
