#!/usr/bin/env bash
# Every list the GIMP 2.10 procedures offer is exactly core's: the INT
# arguments schedule, channel and view-mode of both procedures, as the real
# GIMP's PDB describes them (their blurb "NAME (0), NAME (1), ..."), against
# tests/common/core_lists; and the PDB takes the last index and refuses the
# one after it. Nothing is added here: a schedule added to core's table must
# show up, numbered in core's order, with no edit of the plug-in.
# usage: run-lists-test.sh CORE_LISTS PLUGIN_BUILD_DIR SYSTEM_PLUGIN_DIR
set -uo pipefail
core_lists=$1 plugin_dir=$2 system_plugin_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
command -v gimp >/dev/null || { echo "FAIL: gimp is not installed (scripts/deps.sh installs it)"; exit 1; }

tmp=$(mktemp -d)
[ -n "${SPECTIDE_KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
export GIMP2_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
schedules=$("$core_lists" schedules | wc -l)
[ "$schedules" -gt 0 ] || { echo "FAIL: core_lists printed no schedule"; exit 1; }

cat >"$tmp/lists.scm" <<'SCM'
(define (lists-report . parts)
  (gimp-message (apply string-append "SPECTIDE " parts)))
; Every argument of a procedure: "SPECTIDE arg PROCEDURE NAME|BLURB".
(define (lists-arguments procedure)
  (let loop ((i 0) (count (list-ref (gimp-procedural-db-proc-info procedure) 6)))
    (if (< i count)
        (let ((arg (gimp-procedural-db-proc-arg procedure i)))
          (lists-report "arg " procedure " " (cadr arg) "|" (caddr arg))
          (loop (+ i 1) count)))))
; noise-lowpass on a tiny image with schedule INDEX: accepted or refused.
(define (lists-schedule index)
  (let* ((img (car (gimp-image-new 8 6 RGB)))
         (layer (car (gimp-layer-new img 8 6 RGB-IMAGE "l" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (let ((r (catch 'refused
               (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img layer index 0.3 0 1 7 3 0))))
      (lists-report "schedule " (number->string index) " "
                    (if (eq? r 'refused) "refused" "accepted")))
    (gimp-image-delete img)))
SCM
load="(load \"$tmp/lists.scm\")"
status=0
EXPECTED_FAILURES=0 run_gimp_batch "$tmp/batch.log" 240 "$tmp/test.gimprc" \
  "(begin $load (lists-arguments \"plug-in-spectide-rapsd\"))" \
  "(begin $load (lists-arguments \"plug-in-spectide-noise-lowpass\"))" \
  "(begin $load (lists-schedule $((schedules - 1))))" \
  "(begin $load (lists-schedule $schedules))" || status=1

# The names of a blurb "TEXT: a (0), b (1), ..." one per line, checking that
# the numbers count 0, 1, 2, ...
blurb_names() { # blurb
  local list=${1#*: } i=0 item
  while IFS= read -r item; do
    [ "$item" = "${item% ($i)}" ] && { echo "BAD-NUMBER $item"; return; }
    echo "${item% ($i)}"
    i=$((i + 1))
  done < <(sed 's/, /\n/g' <<<"$list")
}
check_list() { # procedure argument core-list
  local line blurb
  line=$(grep -F "SPECTIDE arg $1 $2|" "$tmp/batch.log" | sed -n 1p)
  blurb=${line#*|}
  if [ -z "$line" ]; then
    echo "FAIL $1 $2: not in the PDB"; status=1; return
  fi
  if [ "$(blurb_names "$blurb")" = "$("$core_lists" "$3")" ]; then
    echo "ok   $1 $2: core's $3 in core's order ($(blurb_names "$blurb" | paste -sd ' '))"
  else
    echo "FAIL $1 $2: the PDB offers '$blurb', core has $("$core_lists" "$3" | paste -sd ' ')"
    status=1
  fi
}
check_list plug-in-spectide-rapsd schedule schedules
check_list plug-in-spectide-rapsd channel channels
check_list plug-in-spectide-noise-lowpass schedule schedules
check_list plug-in-spectide-noise-lowpass channel channels
check_list plug-in-spectide-noise-lowpass view-mode views

expect() { # pattern description
  if grep -qE "$1" "$tmp/batch.log"; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi
}
expect "SPECTIDE schedule $((schedules - 1)) accepted" "the last schedule ($((schedules - 1))) is accepted"
expect "SPECTIDE schedule $schedules refused" "schedule $schedules (one past core's table) is refused"
exit $status
