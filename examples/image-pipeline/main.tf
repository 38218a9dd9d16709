# The whole image family: find the newest public Ubuntu OMI published by OUTSCALE, copy it into your account, share
# the copy with another account, and export it to an OOS bucket (to import it in another Region).
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "region" {
  type    = string
  default = "eu-west-2"
}

variable "share_with_account_ids" {
  type        = list(string)
  description = "The accounts that may launch (and copy) the OMI."
}

variable "bucket" {
  type        = string
  description = "The OOS bucket to export the OMI to."
}

variable "oos_access_key" {
  type = string
}

variable "oos_secret_key" {
  type      = string
  sensitive = true
}

data "outscale_image" "source" {
  filter {
    name   = "account_aliases"
    values = ["Outscale"]
  }
  filter {
    name   = "image_names"
    values = ["Ubuntu-*"]
  }
  filter {
    name   = "states"
    values = ["available"]
  }
  most_recent = true
}

resource "outscale_image" "copy" {
  image_name         = "my-${data.outscale_image.source.image_name}"
  source_image_id    = data.outscale_image.source.image_id
  source_region_name = var.region
  description        = "Copy of ${data.outscale_image.source.image_id}"
}

resource "outscale_image_launch_permission" "share" {
  image_id = outscale_image.copy.image_id
  permission_additions {
    account_ids = var.share_with_account_ids
  }
}

resource "outscale_image_export_task" "export" {
  image_id = outscale_image.copy.image_id
  osu_export {
    disk_image_format = "qcow2"
    osu_bucket        = var.bucket
    osu_prefix        = "omis/${outscale_image.copy.image_name}"
    osu_api_key {
      api_key_id = var.oos_access_key
      secret_key = var.oos_secret_key
    }
  }
  tags {
    key   = "source"
    value = data.outscale_image.source.image_id
  }
}

data "outscale_image_export_tasks" "of_copy" {
  filter {
    name   = "image_ids"
    values = [outscale_image.copy.image_id]
  }
  depends_on = [outscale_image_export_task.export]
}

output "copy_id" {
  value = outscale_image.copy.image_id
}

output "shared_with" {
  value = outscale_image_launch_permission.share.permissions_to_launch
}

output "export_state" {
  value = outscale_image_export_task.export.state
}

output "exports_of_copy" {
  value = [for t in data.outscale_image_export_tasks.of_copy.image_export_tasks : t.task_id]
}
