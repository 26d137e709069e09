"""Evaluation against gold files (scorer, SPEC §7) and per-cue diagnostics."""
