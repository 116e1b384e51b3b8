# Shared by bin/demo and bin/test: create .venv and install the project into it.
# Re-running is cheap: pip is skipped while pyproject.toml is unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

ensure_venv() {
    local extras="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating virtual environment in .venv"
        "$PY" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$extras"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        echo "==> installing Python dependencies ($extras)"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        if [ "$extras" = "dev" ]; then
            "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
        else
            "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
        fi
        touch "$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}

ensure_debian_packages() {
    # Packages the test suite needs from Debian: a browser for UI tests, gettext for messages.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
