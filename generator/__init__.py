"""cuijiao: the collection desk for overdue property fees (物业费催缴)."""
