# Share an OMI you own with other accounts, and take access away from one. Changing the lists updates the sharing in
# place; destroying the resource revokes what it granted (and does not give back what it removed).
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

variable "account_ids" {
  type        = list(string)
  description = "The 12-digit IDs of the accounts to share the OMI with."
}

variable "revoked_account_ids" {
  type    = list(string)
  default = []
}

resource "outscale_image_launch_permission" "share" {
  image_id = var.image_id
  permission_additions {
    account_ids = var.account_ids
  }
  dynamic "permission_removals" {
    for_each = length(var.revoked_account_ids) > 0 ? [1] : []
    content {
      account_ids = var.revoked_account_ids
    }
  }
}

output "permissions_to_launch" {
  value = outscale_image_launch_permission.share.permissions_to_launch
}
