"""Routine files: the YAML reader, the field declarations, the format, the library, the schema."""
