#!/usr/bin/env bash
# Install, review the bundled sample drafts on the command line, then start the app with
# the samples ready to open (http://localhost:8501; Ctrl-C to stop).
set -uo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv && .venv/bin/pip install -q -e . || exit 1
.venv/bin/review check samples/*.txt
exec .venv/bin/streamlit run app.py
