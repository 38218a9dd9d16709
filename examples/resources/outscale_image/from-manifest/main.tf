# An OMI registered from the manifest of an exported OMI (a pre-signed URL of the manifest in a bucket).
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "file_location" {
  type        = string
  description = "The pre-signed URL of the manifest of the exported OMI."
}

variable "image_name" {
  type    = string
  default = "terraform-omi-from-manifest"
}

variable "description" {
  type    = string
  default = "OMI registered from a manifest by Terraform"
}

variable "tags" {
  type    = map(string)
  default = { name = "terraform-omi-from-manifest" }
}

resource "outscale_image" "example" {
  image_name    = var.image_name
  file_location = var.file_location
  description   = var.description

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
