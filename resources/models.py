"""The resources app's models arrive with its issue."""
