"""The risks app's models arrive with its issue."""
