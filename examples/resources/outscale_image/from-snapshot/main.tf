# An OMI registered from a snapshot of a root volume, with an explicit block device mapping.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "snapshot_id" {
  type        = string
  description = "The ID of the snapshot of the root volume (e.g. snap-12345678)."
}

variable "image_name" {
  type    = string
  default = "terraform-omi-from-snapshot"
}

variable "description" {
  type    = string
  default = "OMI registered from a snapshot by Terraform"
}

variable "tag_value" {
  type    = string
  default = "value-tags"
}

resource "outscale_image" "example" {
  image_name       = var.image_name
  description      = var.description
  root_device_name = "/dev/sda1"

  block_device_mappings {
    device_name = "/dev/sda1"
    bsu {
      snapshot_id           = var.snapshot_id
      volume_size           = 120
      volume_type           = "io1"
      iops                  = 150
      delete_on_vm_deletion = true
    }
  }

  boot_modes = ["legacy"]

  tags {
    key   = "Key"
    value = var.tag_value
  }

  tags {
    key   = "Key-2"
    value = "value-tags-2"
  }
}

output "id" {
  value = outscale_image.example.id
}

output "state" {
  value = outscale_image.example.state
}

output "block_device_mappings" {
  value = outscale_image.example.block_device_mappings
}
