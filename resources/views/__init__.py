"""HTML pages of the resources app: the pool (pool.py), allocations and assignments (team.py)."""
