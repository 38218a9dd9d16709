# An OMI created from a running VM. no_reboot = true keeps the VM running while its volumes are snapshotted.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

variable "vm_id" {
  type        = string
  description = "The ID of the VM to create the OMI from (e.g. i-12345678)."
}

variable "image_name" {
  type    = string
  default = "terraform-omi-from-vm"
}

variable "description" {
  type    = string
  default = "OMI created from a VM by Terraform"
}

variable "tags" {
  type    = map(string)
  default = { name = "terraform-omi-from-vm" }
}

resource "outscale_image" "example" {
  image_name  = var.image_name
  vm_id       = var.vm_id
  no_reboot   = true
  description = var.description

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
