"""Checks: the registry of kinds (registry), the functions that run them (sentence,
document, terms, pairing, crossdoc), the finding schema (findings) and the rules'
self-test (selftest)."""
