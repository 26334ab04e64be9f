"""Shared API machinery (base viewset, readers, renderers, schema) and the core resources."""
