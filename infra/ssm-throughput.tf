# Parameter Store's higher-throughput setting, as an option (var.ssm_high_throughput_enabled).
# It raises the account's GetParameter/GetParameters quota above the default 40/s in this
# region, for a fleet whose cold-start bursts outgrow SSM but that stays on it rather than
# moving the token to DynamoDB (docs/stores.md compares the two).
#
# The setting belongs to the account and region, not to this deployment: once on, every
# Parameter Store API call in the region is charged, whichever application makes it. That is
# why false means "leave it alone" (count = 0) rather than "turn it off": a deployment that does
# not ask for it must not reset a setting another team relies on. The provider's delete resets
# the setting to its default, so only one deployment per account and region should set it.

locals {
  # The ARN form, as the provider documents it: its read stores the setting's ARN as setting_id
  # (resourceServiceSettingRead), so a bare setting name would show a change on every plan.
  ssm_high_throughput_setting_arn = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:servicesetting/ssm/parameter-store/high-throughput-enabled"
}

resource "aws_ssm_service_setting" "high_throughput" {
  count = var.ssm_high_throughput_enabled ? 1 : 0

  setting_id    = local.ssm_high_throughput_setting_arn
  setting_value = "true"
}
