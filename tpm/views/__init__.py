"""Account and organisation pages of the tenancy core, one module per area."""
