"""HTML pages of the reports app, one module per page group."""
