#!/usr/bin/env bash
# Usage: expect_error.sh REGEX COMMAND...
# Passes when COMMAND exits non-zero and prints exactly one line on stderr matching REGEX.
set -u
regex=$1; shift
err=$(mktemp)
"$@" >/dev/null 2>"$err"
rc=$?
lines=$(grep -c '' "$err")
msg=$(cat "$err"); rm -f "$err"
if [ "$rc" -eq 0 ]; then echo "FAIL: exit 0 for: $*"; exit 1; fi
if [ "$lines" -ne 1 ]; then echo "FAIL: expected one line on stderr, got $lines:"; echo "$msg"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$msg"; then echo "FAIL: '$msg' does not match /$regex/"; exit 1; fi
echo "ok (exit $rc): $msg"
