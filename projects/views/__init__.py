"""HTML pages of the project itself, one module per page group (pages, members, trash); each
capability's pages live in its own sub-package."""
