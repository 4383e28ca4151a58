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
# Here-strings, never a pipe from echo into an early-exiting grep under
# pipefail: grep would exit at the first match, echo may then die of SIGPIPE
# and fail the pipeline.
tail -n 3 <<<"$report"
grep -q 'Found 0 errors' <<<"$report" || fail "lv2_validate: $report"

# 3. What a host sees.
for uri in urn:spectide:mono urn:spectide:stereo; do
  info=$(lv2info "$uri") || { fail "lv2info $uri"; continue; }
  ports=$(grep -c '^	Port [0-9]*:' <<<"$info" || true)
  expected=23; [ "$uri" = urn:spectide:stereo ] && expected=26
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

# 6. Metadata of plugins and control ports (what lv2lint would check), and
#    what Ardour's generic editor makes of them: every unit's units:render
#    formats a double (Ardour calls printf with one: "%d" prints garbage),
#    readouts fit the 7 characters Ardour gives an output ("-888.8g"), every
#    control sits in a port group with a label, the plugins' names, and
#    every preset value lies in its port's range (on a choice for
#    enumerations).
"${python:-python3}" - "$bundle" <<'PY' || status=1
import re, subprocess, sys
bundle = sys.argv[1]
triples = []
triples_files = []
import glob
for name in ["manifest.ttl", "spectide.ttl"] + [p.rsplit("/", 1)[1] for p in glob.glob(f"{bundle}/*.ttl")
                                                if not p.endswith(("/manifest.ttl", "/spectide.ttl"))]:
    out = subprocess.run(["sordi", "-o", "ntriples", f"{bundle}/{name}"], capture_output=True,
                         text=True, check=True).stdout
    triples_files.append(name)
    for line in out.splitlines():
        # Blank node labels are per file: keep those of different files apart.
        line = re.sub(r'_:(\w+)', lambda b: f"_:{len(triples_files)}_{b.group(1)}", line)
        m = re.match(r'(\S+) <([^>]+)> (.+) \.$', line)
        if m:
            triples.append(m.groups())
def objects(s, p):
    return [o for (a, b, o) in triples if a == s and b == p]
LV2 = "http://lv2plug.in/ns/lv2core#"
PG = "http://lv2plug.in/ns/ext/port-groups#"
PSET = "http://lv2plug.in/ns/ext/presets#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
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
def text(o):
    return re.match(r'"((?:[^"\\]|\\.)*)"', o).group(1).encode().decode("unicode_escape")
# One conversion that takes a double, any flags/width/precision; %% allowed.
DOUBLE_FORMAT = re.compile(r'^(?:[^%]|%%)*%[-+ #0]*[0-9]*(?:\.[0-9]+)?[fFeEgG](?:[^%]|%%)*$')
port_ranges = {}
names = {"<urn:spectide:mono>": "spectide mono", "<urn:spectide:stereo>": "spectide stereo"}
for plugin in ["<urn:spectide:mono>", "<urn:spectide:stereo>"]:
    got = [text(o) for o in objects(plugin, DOAP + "name")]
    if got != [names[plugin]]:
        fail(f"{plugin} is named {got}, hosts should list {names[plugin]!r}")
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
        choices = [number(objects(point, RDF + "value")[0]) for point in objects(port, LV2 + "scalePoint")]
        port_ranges.setdefault(plugin, {})[text(symbol)] = (lo, hi, choices, f"<{LV2}enumeration>" in props)
        groups = objects(port, PG + "group")
        if len(groups) != 1 or not objects(groups[0], RDFS + "label"):
            fail(f"{plugin} {symbol}: not in one labelled port group ({groups})")
        output = f"<{LV2}OutputPort>" in types
        for unit in objects(port, UNITS + "unit"):
            for render in objects(unit, UNITS + "render"):
                fmt = text(render)
                if not DOUBLE_FORMAT.match(fmt):
                    fail(f"{plugin} {symbol}: units:render {fmt!r} does not format a double")
                    continue
                if f"<{LV2}integer>" in props and not re.search(r'%\.0[fFeEgG]', fmt):
                    fail(f"{plugin} {symbol}: integer port rendered with {fmt!r}")
                if output and f"<{LV2}reportsLatency>" not in props:
                    for value in (lo, hi, (lo + hi) / 2):
                        shown = fmt % value
                        if len(shown) > 7:
                            fail(f"{plugin} {symbol}: readout {shown!r} is wider than Ardour's 7 characters")
        if not objects(port, RDFS + "comment"):
            fail(f"{plugin} {symbol}: no rdfs:comment")
        exempt = f"<{LV2}toggled>" in props or f"<{LV2}enumeration>" in props
        if not exempt and not objects(port, UNITS + "unit"):
            fail(f"{plugin} {symbol}: no units:unit")
        if f"<{LV2}enumeration>" in props and not objects(port, LV2 + "scalePoint"):
            fail(f"{plugin} {symbol}: enumeration without scale points")
    print(f"{plugin}: metadata of {controls} control ports checked")
presets = sorted({a for (a, b, o) in triples if b == TYPE and o == f"<{PSET}Preset>"})
for preset in presets:
    for plugin in objects(preset, LV2 + "appliesTo"):
        for port in objects(preset, LV2 + "port"):
            symbol = text(objects(port, LV2 + "symbol")[0])
            value = number(objects(port, PSET + "value")[0])
            if symbol not in port_ranges.get(plugin, {}):
                fail(f"{preset} sets {symbol}, which {plugin} does not have")
                continue
            lo, hi, choices, enumeration = port_ranges[plugin][symbol]
            if not lo <= value <= hi or (enumeration and value not in choices):
                fail(f"{preset}: {symbol} = {value} is not a value of {plugin}'s port")
print(f"{len(presets)} presets: every value within its port's range")
sys.exit(1 if bad else 0)
PY
exit $status
