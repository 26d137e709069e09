"""Batch review of a whole leading group: inputs (files, folders, zips; one nested level),
safe names, a per-file time budget, forked workers that stop with the parent, and outputs
written through temporary names (summary.xlsx, report.json, *.review.docx, run.json last).

run: the phases · inputs: what counts as an input · names: safe, short, distinct names ·
outputs: the output folder's guards · budget: the per-file timer · pool: the workers."""
from .run import (DEFAULT_BUDGET, SUPPORTED, BatchResult, Input, Upload, collect_inputs, member_name,
                  run_batch, safe_name, unique_names)

__all__ = ["BatchResult", "Input", "SUPPORTED", "Upload", "collect_inputs", "member_name", "run_batch",
           "safe_name", "unique_names", "DEFAULT_BUDGET"]
