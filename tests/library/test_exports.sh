#!/usr/bin/env bash
# The shared libspectide exports the public API only: every dynamic symbol it
# defines starts with st_ (plus the SPECTIDE_0 version node), and every
# ST_API declaration of the installed headers is among them. A plug-in
# module given as a further argument exports none of the core's symbols.
# Usage: test_exports.sh LIBSPECTIDE.so HEADER... [-- PLUGIN.so...]
set -euo pipefail
library=$1
shift
headers=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do headers+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
plugins=("$@")

failures=0
fail() { echo "not ok - $*"; failures=$((failures + 1)); }

exported=$(nm -D --defined-only "$library" | awk '{print $3}' | sed 's/@.*//' | sort -u)
others=$(grep -v -e '^st_' -e '^SPECTIDE_0$' <<<"$exported" || true)
if [ -n "$others" ]; then fail "non-st_ symbols exported: $others"; else
  echo "ok - $(wc -l <<<"$exported") dynamic symbols, all st_ (and the version node)"; fi

declared=$(grep -hoE '^ST_API [^(]*\bst_[a-z0-9_]+\(' "${headers[@]}" |
  grep -oE 'st_[a-z0-9_]+\($' | tr -d '(' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
if [ -n "$missing" ]; then fail "declared ST_API but not exported: $missing"; else
  echo "ok - all $(wc -l <<<"$declared") ST_API declarations are exported"; fi

for plugin in "${plugins[@]}"; do
  leaked=$(nm -D --defined-only "$plugin" | awk '{print $3}' | grep -E '^(st_|sv_)' || true)
  if [ -n "$leaked" ]; then fail "$(basename "$plugin") exports core symbols: $leaked"; else
    echo "ok - $(basename "$plugin") exports no st_/sv_ symbol"; fi
done
echo "1..$((2 + ${#plugins[@]}))"
exit $((failures > 0))
