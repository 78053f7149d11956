"""Services: take a connection first, never create engines or read requests."""
