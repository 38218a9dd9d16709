# A launch permission is imported by the OMI's id; its current sharing becomes what the resource grants.
terraform import outscale_image_launch_permission.share ami-12345678
