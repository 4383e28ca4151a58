#!/usr/bin/env bash
# The Slurm recipe (scripts/rapsd-shards.sh slurm) on a real one-node Slurm
# started here: munged with its own key and socket, slurmctld and slurmd with
# their own configuration, state and spool folders under a temporary folder,
# on 127.0.0.1 with ports found free (tried again on a clash), every daemon
# stopped by the PID this test started. An array job of 4 tasks accumulates
# 4 shards of a dataset (data/ and images derived from it, one damaged), an
# afterok job merges them and writes the report; the merged accumulator, the
# report, its CSV and its plot must equal one run over the whole folder, byte
# for byte. A missing Slurm or munge is a failure (scripts/deps.sh installs
# them); the daemons run as root, as Slurm's slurmd must to start jobs.
# usage: test_slurm.sh SPECTIDE SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
spectide=$1
root=$2
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo convert; do
  command -v "$tool" >/dev/null || { echo "not ok 1 - $tool is missing (scripts/deps.sh test installs it)"; echo "1..1"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "not ok 1 - slurmd must run as root to start jobs"; echo "1..1"; exit 1; }

tmp=$(mktemp -d)
pids=()
stop_daemons() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    # wait with a deadline: a daemon that ignores SIGTERM gets SIGKILL
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_daemons
  [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
source "$root/tests/slurm/common.sh"

# Waits until COMMAND succeeds, polling, for at most SECONDS.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# munge: its socket folder must be reachable by all, its key readable by root only.
chmod 755 "$tmp"
mkdir -p "$tmp/munge" "$tmp/key" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 755 "$tmp/munge"
chmod 700 "$tmp/key"
mungekey --create --keyfile="$tmp/key/munge.key" >/dev/null
munged --foreground --socket="$tmp/munge/socket" --key-file="$tmp/key/munge.key" \
  --log-file="$tmp/log/munged.log" --pid-file="$tmp/munge/munged.pid" \
  --seed-file="$tmp/munge/munged.seed" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
check "munged answers on its own socket" wait_for 30 test -S "$tmp/munge/socket"

node=$(hostname -s)
export SLURM_CONF=$tmp/slurm.conf
start_slurm() {
  local controller_port=$1 node_port=$2
  cat >"$SLURM_CONF" <<EOF
ClusterName=spectide$$
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$controller_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=spectide Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
  local controller=$!
  pids+=($controller)
  slurmd -D -f "$SLURM_CONF" -N "$node" >"$tmp/log/slurmd.out" 2>&1 &
  local daemon=$!
  pids+=($daemon)
  # Ready when the node is idle; a daemon that died (a port taken after all)
  # ends the wait at once.
  local deadline=$((SECONDS + 60))
  until [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; do
    kill -0 "$controller" 2>/dev/null && kill -0 "$daemon" 2>/dev/null || return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}
started=0
for attempt in 1 2 3; do
  if start_slurm "$(free_port)" "$(free_port)"; then started=1; break; fi
  # A port taken between the probe and the daemon's bind: again, new ports.
  kill "${pids[@]:1}" 2>/dev/null || true
  for pid in "${pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done
  pids=("${pids[0]}")
  rm -rf "$tmp/state"/* "$tmp/spool"/*
done
if [ "$started" -ne 1 ]; then
  not_ok "slurmctld and slurmd on 127.0.0.1 (logs: $(tail -n 3 "$tmp"/log/slurm*.log 2>/dev/null | tr '\n' ' '))"
  finish
  exit 1
fi
ok "slurmctld and slurmd on 127.0.0.1: node $node idle"

make_dataset "$tmp/set"
single_run "$tmp/set" "$tmp/single"

# The recipe, waiting for the reduce job (with a deadline).
set +e
timeout 600 "$root/scripts/rapsd-shards.sh" slurm --shards 4 --spectide "$spectide" --wait \
  "$tmp/sharded" "$tmp/set" >"$tmp/recipe.out" 2>&1
status=$?
set -e
check "rapsd-shards.sh slurm --wait: exit 0" [ "$status" -eq 0 ]
map=$(sed -n 's/.*map job \([0-9]*\) .*/\1/p' "$tmp/recipe.out")
reduce=$(sed -n 's/.*reduce job \([0-9]*\)$/\1/p' "$tmp/recipe.out")
both_submitted() { [ -n "$map" ] && [ -n "$reduce" ]; }
check "an array job and a reduce job were submitted ($map, $reduce)" both_submitted
tasks_done() { # every array task and the reduce job COMPLETED
  local job
  for job in "${map}_0" "${map}_1" "${map}_2" "${map}_3" "$reduce"; do
    [[ $(scontrol show job "$job") == *JobState=COMPLETED* ]] || return 1
  done
}
check "Slurm reports the 4 tasks and the reduce job COMPLETED" tasks_done
dependency_was_afterok() {
  grep -q "reduce after it: afterok:$map" "$tmp/recipe.out" &&
    grep -q "reduce on $node (Slurm job $reduce)" "$tmp/sharded/reduce.out"
}
check "the reduce job ran under Slurm after afterok:$map" dependency_was_afterok
shard_logs() {
  local k
  for k in 0 1 2 3; do
    grep -q "Slurm job $map task $k" "$tmp/sharded/acc/00$k.log" || return 1
  done
}
check "each shard ran as its own array task" shard_logs
check "one shard log names the damaged file" grep -q "truncated.png" "$tmp"/sharded/acc/*.log
compare_runs "$tmp/single" "$tmp/sharded" "slurm"
if [ "$failures" -ne 0 ]; then
  echo "# recipe output:"; sed 's/^/# /' "$tmp/recipe.out"
  echo "# reduce:"; sed 's/^/# /' "$tmp/sharded/reduce.out" 2>/dev/null || true
fi
stop_daemons
finish
