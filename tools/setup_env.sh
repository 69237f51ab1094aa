# Sourced by tools/quickstart.sh and tools/run_tests.sh: use the active
# Python if it already has the plugin, else create/activate .venv and
# install the project there the way the README says.
if python3 -c 'import maxclip_mmaction' >/dev/null 2>&1; then
    PYTHON=${PYTHON:-python3}
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    # shellcheck disable=SC1091
    . .venv/bin/activate
    if ! python -c 'import maxclip_mmaction' >/dev/null 2>&1; then
        python -m pip install --quiet --upgrade pip
        python -m pip install --quiet -e '.[tests]'
    fi
    PYTHON=python
fi
export PYTHON
