# Quickstart: two OMIs managed by Terraform. The defaults are the ids the local OUTSCALE API sandbox seeds
# (bin/outscale-sandbox); against a real account, pass your own with -var or a terraform.tfvars file.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

# Credentials, Region and endpoint come from OSC_ACCESS_KEY, OSC_SECRET_KEY, OSC_REGION and OSC_ENDPOINT_API.
provider "outscale" {}

variable "region" {
  type        = string
  description = "The Region of the account (the copy is made in this Region)."
  default     = "eu-west-2"
}

variable "public_image_id" {
  type        = string
  description = "A public OMI to copy (the sandbox seeds Ubuntu-22.04 as ami-5eed0001)."
  default     = "ami-5eed0001"
}

variable "vm_id" {
  type        = string
  description = "A VM of the account to create an OMI from (the sandbox seeds i-5eed0001)."
  default     = "i-5eed0001"
}

variable "environment" {
  type    = string
  default = "quickstart"
}

resource "outscale_image" "ubuntu_copy" {
  image_name         = "quickstart-ubuntu-copy"
  description        = "Copy of ${var.public_image_id}"
  source_image_id    = var.public_image_id
  source_region_name = var.region

  tags {
    key   = "Name"
    value = "quickstart-ubuntu-copy"
  }
  tags {
    key   = "env"
    value = var.environment
  }
}

resource "outscale_image" "from_vm" {
  image_name  = "quickstart-from-vm"
  description = "Backup of ${var.vm_id}"
  vm_id       = var.vm_id
  no_reboot   = true

  tags {
    key   = "Name"
    value = "quickstart-from-vm"
  }
  tags {
    key   = "env"
    value = var.environment
  }

  timeouts {
    create = "20m"
  }
}

output "ubuntu_copy" {
  value = {
    id            = outscale_image.ubuntu_copy.id
    state         = outscale_image.ubuntu_copy.state
    boot_modes    = outscale_image.ubuntu_copy.boot_modes
    root_snapshot = outscale_image.ubuntu_copy.block_device_mappings[0].bsu[0].snapshot_id
  }
}

output "from_vm" {
  value = {
    id               = outscale_image.from_vm.id
    state            = outscale_image.from_vm.state
    root_device_name = outscale_image.from_vm.root_device_name
    root_volume_size = outscale_image.from_vm.block_device_mappings[0].bsu[0].volume_size
  }
}
