# The most recent Debian 12 OMI published by OUTSCALE (account alias "Outscale"), available in your Region.
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

data "outscale_image" "debian" {
  filter {
    name   = "account_aliases"
    values = ["Outscale"]
  }
  filter {
    name   = "image_names"
    values = ["Debian-12-*"]
  }
  filter {
    name   = "states"
    values = ["available"]
  }
  most_recent = true
}

output "image_id" {
  value = data.outscale_image.debian.image_id
}

output "image_name" {
  value = data.outscale_image.debian.image_name
}
