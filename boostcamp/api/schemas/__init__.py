"""The partner API's marshmallow schemas, one module per resource (fields.py: what they share)."""
