# An export task is imported by its id. The OOS API key cannot be read back: the first apply after the import
# stores the configured one without calling the API.
terraform import outscale_image_export_task.export image-export-12345678
