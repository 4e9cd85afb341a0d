#!/usr/bin/env bash
# End-to-end test of examples/slurm/sweep-array.sbatch on a running Slurm cluster (for one on
# this machine: scripts/slurm-cluster.sh start). Runs a small sweep on this machine, the same
# sweep as a 4-task job array (sbatch --wait), merges the shards with `contagion merge`, and
# checks that the five output files are byte-identical to the single-machine ones.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=scenarios/default.yaml
RUNS=12
SEED=7
GRID="--steps 6 --grid venues.lendA.assets.ETH.liquidationThreshold=0.8,0.825"
SHARDS=4
FILES=(runs.csv runs.parquet cells.csv lar.csv manifest.json)

fail() {
  echo "test-slurm: FAIL: $*" >&2
  exit 1
}

command -v sbatch >/dev/null 2>&1 || fail "sbatch not found (is Slurm installed?)"
sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)' ||
  fail "no usable Slurm node (start one with scripts/slurm-cluster.sh start)"

started=$(date +%s)
# In the work tree (gitignored out/), so that it is on the same file system as the jobs see.
mkdir -p out
TMP=$(mktemp -d "$PWD/out/test-slurm.XXXXXX")
jobname="contagion-test-$$"
pending=0
cleanup() {
  if [ "$pending" = 1 ]; then scancel --name "$jobname" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "test-slurm: single-machine sweep"
# shellcheck disable=SC2086
pnpm -s contagion sweep "$SCENARIO" --runs "$RUNS" --seed "$SEED" $GRID \
  --out "$TMP/single" --no-progress >"$TMP/single.log" 2>&1 ||
  { cat "$TMP/single.log" >&2; fail "the single-machine sweep failed"; }

echo "test-slurm: sbatch --wait --array=0-$((SHARDS - 1)) examples/slurm/sweep-array.sbatch"
mkdir -p "$TMP/logs"
pending=1
set +e
# The settings go in the environment (--export=ALL): GRID has commas, which --export=VAR=... splits.
SCENARIO="$SCENARIO" RUNS="$RUNS" SEED="$SEED" GRID="$GRID" OUT="$TMP/slurm" WORKERS=1 \
  timeout 600 sbatch --wait --parsable --export=ALL --array="0-$((SHARDS - 1))" --time=10 \
  --job-name="$jobname" --output="$TMP/logs/%a.log" examples/slurm/sweep-array.sbatch \
  >"$TMP/sbatch.out" 2>"$TMP/sbatch.err"
rc=$?
set -e
jobid=$(head -n 1 "$TMP/sbatch.out" | cut -d ';' -f 1)
if [ "$rc" != 0 ]; then
  cat "$TMP/sbatch.err" >&2
  for log in "$TMP"/logs/*.log; do
    [ -e "$log" ] && { echo "--- task log $log" >&2; cat "$log" >&2; }
  done
  fail "sbatch --wait exited $rc (job ${jobid:-not submitted})"
fi
pending=0

missing=()
for i in $(seq 0 $((SHARDS - 1))); do
  [ -s "$TMP/slurm/shard-$i/manifest.json" ] || missing+=("shard-$i")
done
[ ${#missing[@]} = 0 ] || fail "array tasks left no manifest.json: ${missing[*]}"

shards=()
for i in $(seq 0 $((SHARDS - 1))); do shards+=("$TMP/slurm/shard-$i"); done
pnpm -s contagion merge "${shards[@]}" --out "$TMP/merged" >"$TMP/merge.log" 2>&1 ||
  { cat "$TMP/merge.log" >&2; fail "contagion merge failed"; }

differ=()
for f in "${FILES[@]}"; do
  cmp "$TMP/single/$f" "$TMP/merged/$f" >&2 || differ+=("$f")
done
[ ${#differ[@]} = 0 ] || fail "merged shards differ from the single-machine sweep in: ${differ[*]}"

runs=$(($(wc -l <"$TMP/single/runs.csv") - 1))
sha=$(sha256sum "$TMP/merged/runs.csv" | cut -c 1-16)
echo "test-slurm: PASS: ${SHARDS} Slurm array tasks, ${runs} runs, merged == single-machine" \
  "(${#FILES[@]} files byte-identical), runs.csv sha256 ${sha}, $(($(date +%s) - started)) s"
