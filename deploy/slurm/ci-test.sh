#!/usr/bin/env bash
# Integration test on a real Slurm: brings up a single-node cluster (munged, slurmctld, slurmd)
# in a private folder, submits a 3-model portfolio with deploy/slurm/portfolio.sbatch as an array
# job, checks `mixplan batch status`, resubmits and checks that nothing was refitted, then stops
# only the daemons it started. Needs root (to start the daemons) and the release binary
# (.build/release/mixplan, or MIXPLAN_BIN). Skips with a message, exit 0, where Slurm cannot be
# installed or started; exits 1 when Slurm runs but the portfolio does not behave.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=${MIXPLAN_BIN:-$root/.build/release/mixplan}
started=$(date +%s)

skip() { echo "slurm-ci: SKIPPED: $*"; exit 0; }
fail() { echo "slurm-ci: FAILED: $*" >&2; exit 1; }
say() { echo "slurm-ci: $*"; }

[ -x "$bin" ] || fail "$bin is missing; build it first (swift build -c release)"
[ "$(id -u)" -eq 0 ] || skip "starting munged, slurmctld and slurmd needs root"

need=()
for pkg in slurmctld slurmd slurm-client munge; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
    || skip "could not install ${need[*]} with apt-get"
fi
for tool in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done

work=$(mktemp -d /tmp/mixplan-slurm-ci.XXXXXX)
chmod 711 "$work"
pids=()
cleanup() {
  status=$?
  if [ -n "${SLURM_CONF:-}" ] && command -v scancel >/dev/null 2>&1; then scancel --quiet --full --name=mixplan-portfolio 2>/dev/null || true; fi
  # Only the daemons this script started, by their process ids, newest first.
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ $status -ne 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }; done
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

# --- munge: its own key and socket in the work folder ---
mkdir -p "$work/munge"
chmod 711 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge/seed" &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
[ -S "$work/munge/socket" ] || skip "munged did not start (see above)"

# --- slurm.conf for one node with this machine's CPUs and memory ---
host=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=mixplanci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
up=""
for _ in $(seq 100); do
  state=$(sinfo --noheader --format=%T 2>/dev/null | head -1 || true)
  if [ "$state" = "idle" ]; then up=1; break; fi
  sleep 0.2
done
if [ -z "$up" ]; then
  tail -5 "$work/slurmctld.out" "$work/slurmd.out" "$work"/*.log 2>/dev/null || true
  skip "Slurm did not come up on this machine (node state: ${state:-none})"
fi
say "single-node Slurm up on $host ($cpus CPUs) in $(( $(date +%s) - started )) s"

# --- a 3-model portfolio, small sampler settings ---
portfolio=$work/portfolio
mkdir -p "$portfolio/models"
echo "name,config" > "$portfolio/manifest.csv"
for k in 1 2 3; do
  "$bin" simulate --preset weekly-2ch --seed "$k" --out "$portfolio/data-$k" >/dev/null
  mkdir -p "$portfolio/models/brand-$k"
  sed -e '/^sampler:/,$d' -e "s|file: data.csv|file: ../../data-$k/data.csv|" "$portfolio/data-$k/mixplan.yaml" > "$portfolio/models/brand-$k/mixplan.yaml"
  printf 'sampler:\n  chains: 2\n  warmup: 300\n  draws: 300\n  seed: %s\n' "$k" >> "$portfolio/models/brand-$k/mixplan.yaml"
  echo "brand-$k,models/brand-$k/mixplan.yaml" >> "$portfolio/manifest.csv"
done
out=$work/runs
export PATH="$(dirname "$bin"):$PATH"

submit() {
  # Command-line options override the script's #SBATCH lines: this node is small.
  timeout 240 sbatch --wait --array=0-2 --cpus-per-task=1 --mem=1G --output="$work/job-%A_%a.log" \
    deploy/slurm/portfolio.sbatch "$portfolio/manifest.csv" "$out"
}

t0=$(date +%s)
submit || { cat "$work"/job-*.log; fail "the first array job failed"; }
first=$(( $(date +%s) - t0 ))
say "first submission: 3 models in $first s"
mixplan batch status --manifest "$portfolio/manifest.csv" --out "$out" || fail "batch status does not say every model is done"
for k in 1 2 3; do
  grep -q "fitted" "$work"/job-*_$((k - 1)).log || fail "array task $((k - 1)) left no summary line"
done
stamps() { for k in 1 2 3; do stat -c '%n %Y.%y' "$out/brand-$k/model/draws.csv" "$out/_status/brand-$k.json"; done; }
before=$(stamps)
rm -f "$work"/job-*.log

t0=$(date +%s)
submit || { cat "$work"/job-*.log; fail "the resubmitted array job failed"; }
say "resubmission: $(( $(date +%s) - t0 )) s"
[ "$before" = "$(stamps)" ] || fail "the resubmission rewrote a model's fit or status"
[ "$(cat "$work"/job-*.log | grep -c '1 skipped (already done)')" -eq 3 ] \
  || { cat "$work"/job-*.log; fail "the resubmission did not skip every model"; }
mixplan batch collect --manifest "$portfolio/manifest.csv" --out "$out" || fail "batch collect"
[ "$(wc -l < "$out/_portfolio/portfolio.csv")" -eq 4 ] || fail "the roll-up does not have one row per model"
say "PASSED in $(( $(date +%s) - started )) s (Slurm array of 3 models, status, resubmission skipped all, collect)"
