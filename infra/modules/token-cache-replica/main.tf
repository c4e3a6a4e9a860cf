# The token-cache parameter in one replica region (issue 7, part 3). Instantiate once per region
# with an aliased provider; the primary region's Lambdas write every refreshed token here, and
# the region's own Lambdas read it first. See ../../regions.md.

terraform {
  # 1.11: the first Terraform with write-only arguments (value_wo below).
  required_version = "~> 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.15"
    }
  }
}

variable "parameter_name" {
  description = "Same name as the primary's parameter, e.g. /vwc/dev/auth0-token-cache (the MultiRegionStore uses one name in every region)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.\\-/]{1,1010}$", var.parameter_name))
    error_message = "parameter_name must be an absolute SSM parameter path such as /vwc/dev/auth0-token-cache."
  }
}

variable "parameter_type" {
  description = "SecureString (default) or String, as in the primary region."
  type        = string
  default     = "SecureString"

  validation {
    condition     = contains(["SecureString", "String"], var.parameter_type)
    error_message = "parameter_type must be \"SecureString\" or \"String\"."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key in THIS region (keys are regional; a multi-Region key replica works). null = the region's aws/ssm key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (not an alias)."
  }
}

variable "tags" {
  description = "Tags of the parameter (the primary's local.tags)."
  type        = map(string)
  default     = {}
}

resource "aws_ssm_parameter" "token_cache" {
  name        = var.parameter_name
  description = "Replica of the shared Auth0 M2M bearer token (JSON envelope written by the token cache)"
  type        = var.parameter_type
  key_id      = var.kms_key_arn
  tier        = "Standard"
  # The placeholder the library reads as "no token yet"; SSM rejects an empty value. Write-only,
  # as in the primary's infra/main.tf, so the token the primary's Lambdas write here is never
  # read back into Terraform state; a new value_wo_version rewrites the placeholder.
  value_wo         = "not-initialized"
  value_wo_version = 1
  tags             = var.tags

  lifecycle {
    # The runtime owns the value; Terraform never sees it (see the primary's infra/main.tf).
    ignore_changes = [description]
  }
}

output "parameter_arn" {
  description = "ARN of the replica parameter."
  value       = aws_ssm_parameter.token_cache.arn
}
