"""REST endpoints of the reports app (routes in reports/api/urls.py)."""
