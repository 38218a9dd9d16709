# Export an OMI you own to an OOS bucket. Apply waits until the export is completed (wait_for_completion = false
# returns at once); a failed export is an error that names the API's reason, and the task is replaced next time.
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

variable "bucket" {
  type = string
}

variable "oos_access_key" {
  type = string
}

variable "oos_secret_key" {
  type      = string
  sensitive = true
}

resource "outscale_image_export_task" "export" {
  image_id = var.image_id
  osu_export {
    disk_image_format = "qcow2"
    osu_bucket        = var.bucket
    osu_prefix        = "exports/${var.image_id}"
    osu_api_key {
      api_key_id = var.oos_access_key
      secret_key = var.oos_secret_key
    }
  }
  tags {
    key   = "purpose"
    value = "region-copy"
  }
}

output "task_id" {
  value = outscale_image_export_task.export.task_id
}

output "manifest_url" {
  value = outscale_image_export_task.export.osu_export[0].osu_manifest_url
}
