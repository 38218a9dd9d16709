# One OMI by its ID, e.g. to read its block device mappings.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "image_id" {
  type        = string
  description = "The ID of the OMI (e.g. ami-12345678)."
}

data "outscale_image" "by_id" {
  filter {
    name   = "image_ids"
    values = [var.image_id]
  }
}

output "root_volume_size" {
  value = data.outscale_image.by_id.block_device_mappings[0].bsu[0].volume_size
}
