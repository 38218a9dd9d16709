# Make an OMI you own public (every account may launch it). Destroying the resource makes it private again.
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

resource "outscale_image_launch_permission" "public" {
  image_id = var.image_id
  permission_additions {
    global_permission = true
  }
}
