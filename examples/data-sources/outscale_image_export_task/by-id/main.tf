# One image export task, by its id.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "task_id" {
  type = string
}

data "outscale_image_export_task" "task" {
  filter {
    name   = "task_ids"
    values = [var.task_id]
  }
}

output "state" {
  value = data.outscale_image_export_task.task.state
}

output "prefix" {
  value = data.outscale_image_export_task.task.osu_export[0].osu_prefix
}
