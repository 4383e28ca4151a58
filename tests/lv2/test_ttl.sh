#!/usr/bin/env bash
# spectide.lv2 bundle checks, the ones plugin linters make: Turtle syntax
# (sordi), the LV2 schemas (lv2_validate / sord_validate), what lv2info
# lists (ports, latency, presets), exported symbols (nm), linked libraries,
# and the metadata every plugin and control port must carry.
set -euo pipefail
bundle=${SPECTIDE_BUNDLE:?}
for tool in sordi lv2_validate lv2info nm readelf python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
status=0
fail() { echo "FAIL: $*"; status=1; }

# 1. Turtle syntax: lv2_validate exits 0 even on syntax errors, sordi does not.
for ttl in "$bundle"/*.ttl; do
  sordi "$ttl" >/dev/null || fail "sordi rejects $ttl"
done

# 2. The LV2 schemas.
report=$(lv2_validate "$bundle"/*.ttl 2>&1 | grep -v '^Skipping' || true)
# Here-strings, never `echo "$x" | grep -q` under pipefail: grep -q exits at
# the first match, echo may then die of SIGPIPE and fail the pipeline.
tail -n 3 <<<"$report"
grep -q 'Found 0 errors' <<<"$report" || fail "lv2_validate: $report"

# 3. What a host sees.
for uri in urn:spectide:mono urn:spectide:stereo; do
  info=$(lv2info "$uri") || { fail "lv2info $uri"; continue; }
  ports=$(grep -c '^	Port [0-9]*:' <<<"$info" || true)
  expected=21; [ "$uri" = urn:spectide:stereo ] && expected=24
  [ "$ports" -eq "$expected" ] || fail "$uri: lv2info lists $ports ports, expected $expected"
  grep -q 'Has latency: *yes, reported by port' <<<"$info" || fail "$uri: no latency port"
  for preset in 'Speech (16 kHz, 64 mels)' 'Music (22.05 kHz, 128 mels)' 'Rectified flow t=0.5' \
                'SD3 shift-3 t=0.7' 'EDM sigma=1' 'Audition: what survives'; do
    grep -qF "$preset" <<<"$info" || fail "$uri: preset '$preset' not listed"
  done
  if grep -q 'Required Features' <<<"$info"; then fail "$uri declares required features"; fi
  echo "$uri: $ports ports, latency port and 6 presets listed"
done

# 4. Only the descriptors leave the shared objects.
check_exports() {
  local so=$1 wanted=$2
  local exported
  exported=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^_' | sort | tr '\n' ' ')
  [ "$exported" = "$wanted " ] || fail "$so exports: $exported (wanted only $wanted)"
  echo "$(basename "$so") exports: $exported"
}
check_exports "$bundle/spectide_dsp.so" lv2_descriptor
if [ -f "$bundle/spectide_ui.so" ]; then
  check_exports "$bundle/spectide_ui.so" lv2ui_descriptor
fi

# 5. No library a DSP module should not pull in (toolkits, JACK, file I/O, C++).
needed=$(readelf -d "$bundle/spectide_dsp.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
echo "spectide_dsp.so needs: $needed"
for lib in $needed; do
  case $lib in
    libc.so*|libm.so*|libfftw3f.so*|libfftw3f_threads.so*|libsamplerate.so*|libpthread.so*|ld-linux*) ;;
    # The inline display draws with cairo (and its text through fontconfig).
    libcairo.so*|libfontconfig.so*|libfreetype.so*) ;;
    *) fail "spectide_dsp.so links $lib" ;;
  esac
done

# 6. Metadata of plugins and control ports (what lv2lint would check).
"${python:-python3}" - "$bundle" <<'PY' || status=1
import re, subprocess, sys
bundle = sys.argv[1]
triples = []
for name in ["manifest.ttl", "spectide.ttl"]:
    out = subprocess.run(["sordi", "-o", "ntriples", f"{bundle}/{name}"], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r'(\S+) <([^>]+)> (.+) \.$', line)
        if m:
            triples.append(m.groups())
def objects(s, p):
    return [o for (a, b, o) in triples if a == s and b == p]
LV2 = "http://lv2plug.in/ns/lv2core#"
DOAP = "http://usefulinc.com/ns/doap#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
UNITS = "http://lv2plug.in/ns/extensions/units#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("FAIL:", msg)
def number(o):
    return float(re.match(r'"([^"]+)"', o).group(1))
for plugin in ["<urn:spectide:mono>", "<urn:spectide:stereo>"]:
    for p, what in [(DOAP + "license", "doap:license"), (DOAP + "maintainer", "doap:maintainer"),
                    (LV2 + "minorVersion", "lv2:minorVersion"), (LV2 + "microVersion", "lv2:microVersion"),
                    (RDFS + "comment", "rdfs:comment")]:
        if not objects(plugin, p):
            fail(f"{plugin} has no {what}")
    if f"<{LV2}hardRTCapable>" not in objects(plugin, LV2 + "optionalFeature"):
        fail(f"{plugin} is not lv2:hardRTCapable")
    if objects(plugin, LV2 + "requiredFeature"):
        fail(f"{plugin} requires features")
    controls = 0
    for port in objects(plugin, LV2 + "port"):
        types = objects(port, TYPE)
        if f"<{LV2}ControlPort>" not in types:
            continue
        controls += 1
        symbol = objects(port, LV2 + "symbol")[0]
        props = objects(port, LV2 + "portProperty")
        ranges = [objects(port, LV2 + k) for k in ("minimum", "maximum", "default")]
        if not all(ranges):
            fail(f"{plugin} {symbol}: no minimum/maximum/default")
            continue
        lo, hi, default = (number(r[0]) for r in ranges)
        if not lo <= default <= hi:
            fail(f"{plugin} {symbol}: default {default} outside [{lo}, {hi}]")
        if not objects(port, RDFS + "comment"):
            fail(f"{plugin} {symbol}: no rdfs:comment")
        exempt = f"<{LV2}toggled>" in props or f"<{LV2}enumeration>" in props
        if not exempt and not objects(port, UNITS + "unit"):
            fail(f"{plugin} {symbol}: no units:unit")
        if f"<{LV2}enumeration>" in props and not objects(port, LV2 + "scalePoint"):
            fail(f"{plugin} {symbol}: enumeration without scale points")
    print(f"{plugin}: metadata of {controls} control ports checked")
sys.exit(1 if bad else 0)
PY
exit $status
