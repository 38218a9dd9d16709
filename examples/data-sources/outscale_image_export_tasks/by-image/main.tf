# Every export task of an OMI (an empty list when there is none).
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "image_id" {
  type = string
}

data "outscale_image_export_tasks" "of_image" {
  filter {
    name   = "image_ids"
    values = [var.image_id]
  }
}

output "completed" {
  value = [for t in data.outscale_image_export_tasks.of_image.image_export_tasks : t.task_id if t.state == "completed"]
}
