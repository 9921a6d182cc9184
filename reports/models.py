"""The reports app's models arrive with its issue."""
