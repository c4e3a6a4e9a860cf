output "token_cache_parameter_name" {
  description = "Name of the SSM parameter holding the shared token (AUTH0_TOKEN_PARAMETER_NAME)."
  value       = aws_ssm_parameter.auth0_token_cache.name
}

output "token_cache_parameter_arn" {
  description = "ARN of the SSM parameter holding the shared token."
  value       = aws_ssm_parameter.auth0_token_cache.arn
}

output "token_cache_lock_parameter_name" {
  description = "Name of the refresh-lease parameter the library creates and deletes at run time."
  value       = local.token_cache_lock_parameter_name
}

output "lambda_role_arn" {
  description = "ARN of the Lambdas' execution role (created here, or existing_lambda_role_arn). A replica region's deployment takes it as its existing_lambda_role_arn."
  value       = local.lambda_role_arn
}

output "get_vehicle_overview_function_name" {
  description = "Name of the get_vehicle_overview Lambda."
  value       = aws_lambda_function.get_vehicle_overview.function_name
}

output "token_refresher_function_name" {
  description = "Name of the scheduled token refresher Lambda."
  value       = aws_lambda_function.token_refresher.function_name
}

output "token_refresher_schedule_name" {
  description = "Name of the EventBridge Scheduler schedule that invokes the refresher (null in a replica region's deployment: the primary's refresher writes every region)."
  value       = local.is_primary_deployment ? aws_scheduler_schedule.token_refresher[0].name : null
}

output "alarm_names" {
  description = "Names of the token-cache CloudWatch alarms."
  value       = [aws_cloudwatch_metric_alarm.endpoint_fetches.alarm_name, aws_cloudwatch_metric_alarm.store_throttles.alarm_name]
}
