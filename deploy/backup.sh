#!/usr/bin/env bash
# Encrypted backup of DATABASE_URL: pg_dump's custom format, piped straight into age, so no
# plaintext copy of the data is ever written to disk. Only the public recipient is needed here;
# the identity (private key) that can read the backup lives elsewhere (see deploy/README.md).
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: DATABASE_URL=postgres://... deploy/backup.sh -r RECIPIENTS_FILE -o OUTPUT_DIR [--keep-days N]

  -r, --recipients FILE  age recipients file: the public key(s) backups are encrypted to
  -o, --output-dir DIR   where the backup goes: followup-<database>-<UTC time>.dump.age
      --keep-days N      after a good backup, delete this directory's backups older than N days
  -h, --help             this help

Writes to a temporary name and renames when complete; prints the file, its size and SHA-256
(also written beside it as <file>.sha256). Restore with deploy/restore.sh.
USAGE
}

fail() {
    echo "backup.sh: $1" >&2
    [ "${2:-}" = usage ] && { echo >&2; usage >&2; }
    exit 2
}

recipients="" output_dir="" keep_days=""
while [ $# -gt 0 ]; do
    case "$1" in
        -r | --recipients) [ $# -ge 2 ] || fail "$1 needs a file" usage; recipients="$2"; shift 2 ;;
        -o | --output-dir) [ $# -ge 2 ] || fail "$1 needs a directory" usage; output_dir="$2"; shift 2 ;;
        --keep-days) [ $# -ge 2 ] || fail "$1 needs a number of days" usage; keep_days="$2"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) fail "unknown argument: $1" usage ;;
    esac
done

[ -n "$recipients" ] || fail "no recipients file (-r)" usage
[ -n "$output_dir" ] || fail "no output directory (-o)" usage
[[ -f "$recipients" && -r "$recipients" ]] || fail "cannot read the recipients file $recipients"
if grep -q 'AGE-SECRET-KEY-' "$recipients"; then
    fail "$recipients holds a private key: give backups only the public recipient (age1...)"
fi
[[ -d "$output_dir" && -w "$output_dir" ]] || fail "$output_dir is not a writable directory"
if [ -n "$keep_days" ] && ! [[ "$keep_days" =~ ^[1-9][0-9]*$ ]]; then
    fail "--keep-days must be a whole number of days, at least 1 (got '$keep_days')"
fi
for tool in pg_dump age sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (Debian: apt-get install postgresql-client age)"
done

# shellcheck source=deploy/database-url.sh
source "$(dirname "${BASH_SOURCE[0]}")/database-url.sh"
database_url_to_libpq || exit 2

database="$(basename "${PG_URL%%\?*}")"
[[ "$database" =~ ^[A-Za-z0-9_.-]+$ ]] || database="database"
final="$output_dir/followup-$database-$(date -u +%Y%m%dT%H%M%SZ).dump.age"
[ ! -e "$final" ] || fail "$final already exists"
# A name no restore picks up, in the same directory so the rename is atomic.
partial="$output_dir/.$(basename "$final").partial"

umask 077
trap 'rm -f "$partial"' EXIT
if ! pg_dump --format=custom --no-password --dbname="$PG_URL" | age --encrypt -R "$recipients" -o "$partial"; then
    echo "backup.sh: the backup failed; nothing was kept" >&2
    exit 1
fi
[ -s "$partial" ] || { echo "backup.sh: the backup came out empty; nothing was kept" >&2; exit 1; }
mv "$partial" "$final"
trap - EXIT

size="$(stat -c %s "$final")"
checksum="$(sha256sum "$final" | cut -d' ' -f1)"
echo "$checksum  $(basename "$final")" >"$final.sha256"
echo "$final"
echo "size: $size bytes"
echo "sha256: $checksum"

if [ -n "$keep_days" ]; then
    find "$output_dir" -maxdepth 1 -type f \( -name 'followup-*.dump.age' -o -name 'followup-*.dump.age.sha256' \) \
        -mtime +"$keep_days" -print -delete | sed 's/^/deleted: /'
fi
