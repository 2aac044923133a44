#!/usr/bin/env bash
# Restore a backup from deploy/backup.sh into an empty database: age decrypts into pg_restore's
# standard input (no plaintext on disk), in one transaction, so a wrong key, a damaged file or a
# failing statement leaves the target as it was.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: DATABASE_URL=postgres://.../target deploy/restore.sh -i IDENTITY_FILE [--force] BACKUP_FILE

  -i, --identity FILE  age identity file: the private key the backups are encrypted to
      --force          restore into a database that is not empty (its objects are dropped first)
  -h, --help           this help

DATABASE_URL names the target database, which must exist and be empty (createdb it first).
Afterwards, with that DATABASE_URL: manage.py migrate (nothing to apply), then start the app.
USAGE
}

fail() {
    echo "restore.sh: $1" >&2
    [ "${2:-}" = usage ] && { echo >&2; usage >&2; }
    exit 2
}

identity="" force=0 backup=""
while [ $# -gt 0 ]; do
    case "$1" in
        -i | --identity) [ $# -ge 2 ] || fail "$1 needs a file" usage; identity="$2"; shift 2 ;;
        --force) force=1; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) fail "unknown option: $1" usage ;;
        *) [ -z "$backup" ] || fail "one backup file at a time (got '$backup' and '$1')" usage
           backup="$1"; shift ;;
    esac
done

[ -n "$backup" ] || fail "no backup file given" usage
[ -n "$identity" ] || fail "no identity file (-i)" usage
[[ -f "$backup" && -r "$backup" ]] || fail "cannot read the backup file $backup"
[[ -f "$identity" && -r "$identity" ]] || fail "cannot read the identity file $identity"
for tool in pg_restore psql age; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (Debian: apt-get install postgresql-client age)"
done
if [ -f "$backup.sha256" ]; then
    (cd "$(dirname "$backup")" && sha256sum --check --status "$(basename "$backup").sha256") \
        || { echo "restore.sh: $backup does not match its checksum ($backup.sha256)" >&2; exit 1; }
fi

# shellcheck source=deploy/database-url.sh
source "$(dirname "${BASH_SOURCE[0]}")/database-url.sh"
database_url_to_libpq || exit 2

if ! objects="$(psql --no-password --no-psqlrc --quiet --tuples-only --no-align --dbname="$PG_URL" \
    --command="SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')" 2>&1)"; then
    echo "restore.sh: cannot reach the target database: $objects" >&2
    echo "Create it first (createdb) and check DATABASE_URL." >&2
    exit 1
fi
clean=()
if [ "$objects" != 0 ]; then
    if [ "$force" = 0 ]; then
        echo "restore.sh: the target database is not empty ($objects tables, views or sequences)." >&2
        echo "Restore into a new database (createdb), or pass --force to drop what is there." >&2
        exit 3
    fi
    clean=(--clean --if-exists)
fi

# Each side's complaints are kept apart: when age fails, pg_restore's "input too short" is noise.
age_errors="$(mktemp)" restore_errors="$(mktemp)"
trap 'rm -f "$age_errors" "$restore_errors"' EXIT
set +e
age --decrypt -i "$identity" "$backup" 2>"$age_errors" \
    | pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
        --no-password --dbname="$PG_URL" 2>"$restore_errors"
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[0]}" != 0 ]; then
    reason="$(grep '^age: error:' "$age_errors" | sed 's/^age: error: //' | head -n 3 || true)"
    echo "restore.sh: cannot decrypt $backup with the identity $identity: ${reason:-age failed}" >&2
    echo "Is it the key the backup was encrypted to? Nothing was restored: the target is unchanged." >&2
    exit 4
fi
if [ "${status[1]}" != 0 ]; then
    cat "$restore_errors" >&2
    echo "restore.sh: pg_restore failed (above); nothing was restored: the target is unchanged." >&2
    exit 1
fi
psql --no-password --no-psqlrc --quiet --dbname="$PG_URL" --command="ANALYZE" >/dev/null
echo "Restored $backup."
echo "Next, with this DATABASE_URL: manage.py migrate (nothing to apply), then start the app."
