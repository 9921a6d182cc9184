"""REST endpoints of the reports app (registered in tpm/api_urls.py)."""
