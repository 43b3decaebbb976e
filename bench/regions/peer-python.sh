# Sourced by bench/regions/run and bench/regions/cpu: sets PY to a Python with the peers (docx-mailmerge, docxtpl):
# peerbench's venv (../shared/peerbench/.venv) when present, else bench/work/regions-venv, created from peerbench's
# requirements-main.txt on the first run (PyPI). Needs REPO, PEERBENCH and log.
if [[ -x "$PEERBENCH/.venv/bin/python" ]]; then PY="$PEERBENCH/.venv/bin/python"
else
  PY="$REPO/bench/work/regions-venv/bin/python"
  if [[ ! -x "$PY" ]]; then
    log "creating $REPO/bench/work/regions-venv from $PEERBENCH/requirements-main.txt"
    python3 -m venv "$REPO/bench/work/regions-venv"
    "$REPO/bench/work/regions-venv/bin/pip" install -q -r "$PEERBENCH/requirements-main.txt"
  fi
fi
