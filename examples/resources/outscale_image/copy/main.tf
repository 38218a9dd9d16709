# A copy of an OMI (your own or one shared with you, e.g. a public OMI) in the Region of your account.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "source_image_id" {
  type        = string
  description = "The ID of the OMI to copy (e.g. ami-12345678)."
}

variable "source_region_name" {
  type        = string
  description = "The Region of the source OMI: the Region of your account (e.g. eu-west-2)."
}

variable "image_name" {
  type    = string
  default = "terraform-omi-copy"
}

variable "description" {
  type    = string
  default = "OMI copied by Terraform"
}

variable "tags" {
  type    = map(string)
  default = { name = "terraform-omi-copy" }
}

resource "outscale_image" "example" {
  source_image_id    = var.source_image_id
  source_region_name = var.source_region_name
  image_name         = var.image_name
  description        = var.description

  dynamic "tags" {
    for_each = var.tags
    content {
      key   = tags.key
      value = tags.value
    }
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
