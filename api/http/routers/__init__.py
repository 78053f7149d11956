"""HTTP routers: parse input, call one service, return its result."""
