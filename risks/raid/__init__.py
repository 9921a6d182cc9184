"""The RAID log: assumptions, issues, decisions and external dependencies (the risks have the
register): its services, pages and routes."""
