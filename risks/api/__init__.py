"""REST endpoints of the register and the RAID log (registered in tpm/api_urls.py)."""
