"""Permission-matrix entries for this app's routes (see tests/permission_matrix.py)."""

from tests.permission_matrix import Case

ROUTES: list[Case] = []
