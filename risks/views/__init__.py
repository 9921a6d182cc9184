"""HTML pages of the register and the RAID log, one module per page group."""
