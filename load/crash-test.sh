#!/usr/bin/env bash
# The crash test (issue 10; not in CI): the load scenario against the real server, which is
# killed with SIGKILL 20 times at random moments and restarted each time; afterwards every save
# a client saw acknowledged must be in the database. Runs on SQLite, then on PostgreSQL.
#
#   load/crash-test.sh                     # release build, 1,000 takers, 20 kills, both databases
#   TAKERS=300 PROFILE=debug load/crash-test.sh
#   DBS=sqlite KILLS=40 load/crash-test.sh
#
# PostgreSQL: CIT_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); a scratch
# database is created on it and dropped. Exit status 1 if any acknowledged save was lost.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cit-academy/target}"
PROFILE="${PROFILE:-release}"
TAKERS="${TAKERS:-1000}"
KILLS="${KILLS:-20}"
MINUTES="${MINUTES:-5}"
DBS="${DBS:-sqlite postgres}"

if [ "$PROFILE" = release ]; then
    cargo build --release -p server -p load
else
    cargo build -p server -p load
fi
bin="$CARGO_TARGET_DIR/$PROFILE"

status=0
for db in $DBS; do
    echo "=== crash test on $db: $TAKERS takers, $KILLS SIGKILLs in $MINUTES minutes ==="
    if ! "$bin/load" run --db "$db" --takers "$TAKERS" --minutes "$MINUTES" --kills "$KILLS" \
        --server-bin "$bin/cit-academy" --server-env RUST_LOG=warn; then
        status=1
    fi
done
exit $status
