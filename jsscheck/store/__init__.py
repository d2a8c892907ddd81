"""The local snapshot store (SQLite) and the snapshot document round trip."""
