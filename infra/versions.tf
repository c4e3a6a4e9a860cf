# Pinned toolchain. The AWS provider 6.x line is required: `data.aws_region.current.region`
# replaced the deprecated `.name` in 6.0, and 6.15 is the oldest 6.x release this module was
# checked against. Terraform 1.9+ allows a variable's validation to refer to other variables.
# `terraform init` records the exact provider builds in `.terraform.lock.hcl`; commit it.
terraform {
  required_version = "~> 1.9"

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
