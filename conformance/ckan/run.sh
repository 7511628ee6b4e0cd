#!/usr/bin/env bash
# run.sh - build a real CKAN 2.11.5 (PyPI and Debian packages only), start it on loopback with its own
# PostgreSQL cluster and a Solr stand-in, run `dataset-emulator verify ckan` against it, and stop everything
# it started, by PID, whatever happens (trap).
#
# Usage:  conformance/ckan/run.sh DATASET_EMULATOR [RESULT_JSON]      (as root: apt-get and the postgres user)
# Environment:
#   PYTHON                 interpreter for CKAN's venv (default python3; CKAN 2.11 needs >= 3.10)
#   CKAN_CONFORMANCE_DIR   where CKAN's venv is kept between runs (default <tmp>/ckan-conformance)
# Every run starts from an empty database in a fresh directory; only the venv is reused.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EMULATOR="${1:?usage: run.sh DATASET_EMULATOR [RESULT_JSON]}"
PY="${PYTHON:-python3}"
CKAN_VERSION=2.11.5
T0=$(date +%s)
log() { printf '[conformance %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { echo "conformance: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, and PostgreSQL runs as the postgres user)"
command -v "$EMULATOR" >/dev/null 2>&1 || [ -x "$EMULATOR" ] || die "no dataset-emulator at $EMULATOR"

# ---- Debian packages: PostgreSQL, libmagic (python-magic loads it), venv support
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || missing+=(libmagic1)
"$PY" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
id postgres >/dev/null 2>&1 || die "no postgres user (Debian's postgresql package creates it)"

# ---- CKAN's venv, reused while constraints.txt is unchanged
CACHE="${CKAN_CONFORMANCE_DIR:-$("$PY" -c 'import tempfile; print(tempfile.gettempdir())')/ckan-conformance}"
VENV="$CACHE/venv"
# What CKAN 2.11.5 imports when it serves (its wheel declares none of it); versions: constraints.txt.
RUNTIME=(alembic babel bleach blinker click dominate feedgen flask flask-babel flask-login flask-session
         flask-wtf jinja2 markdown markupsafe msgspec packaging passlib polib psycopg2-binary pyjwt pyparsing
         pysolr python-dateutil python-magic pytz pyyaml redis requests rq simplejson six sqlalchemy sqlparse
         typing-extensions tzlocal webassets werkzeug)
stamp="$( (cat "$HERE/constraints.txt"; echo "ckan==$CKAN_VERSION ${RUNTIME[*]}") | sha1sum | cut -c1-16)"
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "pip install ckan==$CKAN_VERSION and ${#RUNTIME[@]} pinned packages into $VENV"
  mkdir -p "$CACHE"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$HERE/constraints.txt" \
    "ckan==$CKAN_VERSION" "${RUNTIME[@]}"
  # Every installed distribution must be pinned, so this CKAN is the same on every machine.
  "$VENV/bin/python" -I - "$HERE/constraints.txt" <<'PYEOF'
import re, sys
from importlib import metadata
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
pins = dict(line.split("==") for line in (l.split("#")[0].strip() for l in open(sys.argv[1])) if line)
pins = {norm(k): v for k, v in pins.items()}
loose = [f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
         if norm(d.metadata["Name"]) not in ("pip", "setuptools", "wheel", "ckan")
         and pins.get(norm(d.metadata["Name"])) != d.version]
if loose:
    sys.exit("installed but not pinned in constraints.txt: " + ", ".join(sorted(loose)))
PYEOF
  echo "$stamp" > "$VENV/.stamp"
fi
"$VENV/bin/python" -c "import ckan; assert ckan.__version__ == '$CKAN_VERSION', ckan.__version__"

# ---- this run's directory, and the trap that stops what it starts
chmod 755 "$CACHE"
RUN="$(mktemp -d "$CACHE/run.XXXXXX")"
chmod 755 "$RUN"
PIDS=()          # processes started here (CKAN, the Solr stand-in)
PG_STARTED=""
stop_all() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "$PG_STARTED" ]; then
    local pg; pg="$(head -1 "$RUN/pg/data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pg" ]; then
      kill -INT "$pg" 2>/dev/null || true   # PostgreSQL's fast shutdown
      for _ in $(seq 300); do kill -0 "$pg" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -rf "$RUN"
  log "stopped everything this run started"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
CKAN_PORT="$(free_port)"; SOLR_PORT="$(free_port)"; PG_PORT="$(free_port)"
# start_bg LOGFILE CMD...: start detached; its PID goes into PIDS
start_bg() { local logf="$1"; shift; setsid "$@" >"$logf" 2>&1 </dev/null & PIDS+=("$!"); }
wait_http() {  # URL PID SECONDS LOG
  for _ in $(seq $(( $3 * 5 ))); do
    "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.2
  done
  tail -30 "$4" >&2; die "$1 did not come up"
}

# ---- PostgreSQL: a private cluster on loopback, durability off (the data is thrown away)
log "PostgreSQL cluster on port $PG_PORT"
install -d -o postgres -g postgres -m 700 "$RUN/pg"
as_pg() { (cd / && runuser -u postgres -- "$@"); }
as_pg "$PGBIN/initdb" -D "$RUN/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer \
  --auth-host=scram-sha-256 >"$RUN/initdb.log" 2>&1 || { tail -20 "$RUN/initdb.log"; die "initdb failed"; }
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/server.log" -w -t 60 -o "-p $PG_PORT \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN/pg -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off" start >/dev/null || { tail -20 "$RUN/pg/server.log"; die "PostgreSQL did not start"; }
as_pg "$PGBIN/psql" -h "$RUN/pg" -p "$PG_PORT" -U postgres -qAtX -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE ckan LOGIN PASSWORD 'ckan'" -c "CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0"

# ---- ckan.ini: what `ckan generate config` writes for 2.11.5 that matters here, with the auth options spelt out
SECRET="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')"
mkdir -p "$RUN/storage"
cat > "$RUN/ckan.ini" <<EOF
[app:main]
use = egg:ckan
SECRET_KEY = $SECRET
WTF_CSRF_SECRET_KEY = string:%(SECRET_KEY)s
api_token.jwt.encode.secret = string:%(SECRET_KEY)s
api_token.jwt.decode.secret = string:%(SECRET_KEY)s
sqlalchemy.url = postgresql://ckan:ckan@127.0.0.1:$PG_PORT/ckan
ckan.site_url = http://127.0.0.1:$CKAN_PORT
ckan.site_id = default
solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan
ckan.redis.url = redis://127.0.0.1:1/0
ckan.storage_path = $RUN/storage
ckan.plugins = activity
ckan.locale_default = en
apitoken_header_name = Authorization
ckan.auth.anon_create_dataset = false
ckan.auth.create_unowned_dataset = false
ckan.auth.create_dataset_if_not_in_organization = true

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
EOF
CKAN=("$VENV/bin/ckan" -c "$RUN/ckan.ini")
log "ckan db init"
"${CKAN[@]}" db init >"$RUN/db_init.log" 2>&1 || { tail -30 "$RUN/db_init.log"; die "ckan db init failed"; }

# ---- the Solr stand-in, then CKAN
start_bg "$RUN/solr.log" "$VENV/bin/python" "$HERE/solr_stub.py" "$SOLR_PORT"
wait_http "http://127.0.0.1:$SOLR_PORT/solr/ckan/schema" "${PIDS[-1]}" 20 "$RUN/solr.log"
log "sysadmin admin and its API token"
"${CKAN[@]}" user add admin email=admin@example.com password=admin-Passw0rd-conformance >>"$RUN/seed.log" 2>&1 \
  || { tail -20 "$RUN/seed.log"; die "ckan user add failed"; }
"${CKAN[@]}" sysadmin add admin >>"$RUN/seed.log" 2>&1 || { tail -20 "$RUN/seed.log"; die "ckan sysadmin add failed"; }
ADMIN_TOKEN="$("${CKAN[@]}" user token add admin conformance 2>>"$RUN/seed.log" | tail -1 | tr -d '[:space:]')"
log "CKAN $CKAN_VERSION on http://127.0.0.1:$CKAN_PORT"
start_bg "$RUN/ckan.log" "${CKAN[@]}" run -H 127.0.0.1 -p "$CKAN_PORT" --disable-reloader
URL="http://127.0.0.1:$CKAN_PORT"
wait_http "$URL/api/3/action/status_show" "${PIDS[-1]}" 120 "$RUN/ckan.log"

# ---- the world the emulator's default world mirrors, made over the action API as admin: users ed and joe,
# organization test-org with ed as editor, group test-group (no members but its creator), a token per user
TOKENS="$("$PY" - "$URL" "$ADMIN_TOKEN" <<'PYEOF'
import json, sys, urllib.request
url, admin = sys.argv[1], sys.argv[2]
def act(name, body):
    request = urllib.request.Request(f"{url}/api/3/action/{name}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": admin})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)["result"]
for user in ("ed", "joe"):
    act("user_create", {"name": user, "email": f"{user}@example.com", "password": f"{user}-Passw0rd-conformance"})
act("organization_create", {"name": "test-org", "title": "Test Org"})
act("organization_member_create", {"id": "test-org", "username": "ed", "role": "editor"})
act("group_create", {"name": "test-group", "title": "Test Group"})
tokens = {"admin": admin}
for user in ("ed", "joe"):
    tokens[user] = act("api_token_create", {"user": user, "name": "conformance"})["token"]
print(" ".join(f"--token {name}={token}" for name, token in tokens.items()))
PYEOF
)"

log "dataset-emulator verify ckan --against $URL"
# In the background, so a signal to this script runs the trap at once (bash waits for a foreground child).
# shellcheck disable=SC2086  # TOKENS is a list of words
"$EMULATOR" verify ckan --against "$URL" $TOKENS ${2:+--json "$2"} &
PIDS+=("$!")
status=0
wait "${PIDS[-1]}" || status=$?
exit "$status"
