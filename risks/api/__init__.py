"""REST endpoints of the register and the RAID log (routes in risks/api/urls.py)."""
