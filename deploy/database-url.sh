# shellcheck shell=bash
# Sourced by backup.sh and restore.sh: hand DATABASE_URL to libpq without its password on any
# command line (ps shows arguments to every user of the host; the environment it does not).
# Sets PG_URL (the URL without the password) and exports PGPASSWORD when the URL carries one.

# PG_URL is for the scripts that source this file.
# shellcheck disable=SC2034
database_url_to_libpq() {
    local url="${DATABASE_URL:-}"
    if [ -z "$url" ]; then
        echo "DATABASE_URL is not set (e.g. postgres://followup@db.internal:5432/followup)" >&2
        return 2
    fi
    if ! [[ "$url" =~ ^postgres(ql)?:// ]]; then
        echo "DATABASE_URL must be a postgres:// URL (got another scheme)" >&2
        return 2
    fi
    # scheme://user:password@rest -> scheme://user@rest, password percent-decoded into PGPASSWORD.
    if [[ "$url" =~ ^(postgres(ql)?://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
        local encoded="${BASH_REMATCH[4]}"
        PG_URL="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
        PGPASSWORD="$(printf '%b' "${encoded//%/\\x}")"
        export PGPASSWORD
    else
        PG_URL="$url"
    fi
}
