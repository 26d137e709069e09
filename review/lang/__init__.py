"""Language data, apart from the logic that uses it (one sub-package per language)."""
