#!/bin/sh
# Bring an existing OMI under management (the example resource is outscale_image.example).
terraform import outscale_image.example ami-12345678
