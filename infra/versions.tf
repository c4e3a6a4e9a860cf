# Pinned toolchain. Terraform 1.11 is the first release with write-only arguments: the token
# cache parameter's placeholder goes through aws_ssm_parameter's value_wo so that the live token
# never lands in state (main.tf); it also has what 1.9 brought, a variable's validation that
# refers to other variables. The AWS provider 6.x line is required:
# `data.aws_region.current.region` replaced the deprecated `.name` in 6.0, and 6.15 is the
# oldest 6.x release this module was checked against; value_wo/value_wo_version arrived earlier,
# in the 5.x line, so 6.15 already has them. `terraform init` records the exact provider builds
# in `.terraform.lock.hcl`; commit it.
terraform {
  required_version = "~> 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.15"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "aws" {
  region = var.aws_region
}
