# Every Ubuntu and Rocky Linux OMI published by OUTSCALE, oldest first (an empty list when there is none).
terraform {
  required_providers {
    outscale = {
      source = "outscale/outscale"
    }
  }
}

provider "outscale" {}

data "outscale_images" "published" {
  filter {
    name   = "account_aliases"
    values = ["Outscale"]
  }
  filter {
    name   = "image_names"
    values = ["Ubuntu*", "RockyLinux*"]
  }
}

output "image_ids" {
  value = [for image in data.outscale_images.published.images : image.image_id]
}

output "image_names" {
  value = [for image in data.outscale_images.published.images : image.image_name]
}
