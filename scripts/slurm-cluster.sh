#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing examples/slurm/sweep-array.sbatch.
#
#   sudo scripts/slurm-cluster.sh start   # install slurm-wlm + munge if missing, start munged,
#                                         # slurmctld and slurmd, wait for the node to be idle
#   sudo scripts/slurm-cluster.sh stop    # stop them again
#
# Runs as root, with Debian's packages, on a machine without systemd: the daemons are started
# directly, and the configuration needs no cgroups (proctrack/linuxproc, task/none,
# jobacct_gather/none) and no accounting database. Everything listens on the loopback address.
# Both commands are idempotent. It overwrites /etc/slurm/slurm.conf:
# do not run it on a machine that belongs to a real cluster.
set -euo pipefail
export PATH="/usr/sbin:/sbin:$PATH"

CONF_DIR=/etc/slurm
STATE_DIR=/var/lib/slurm/slurmctld
SPOOL_DIR=/var/lib/slurm/slurmd
LOG_DIR=/var/log/slurm
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_PID=/run/munge/munged.pid

if [ "$(id -u)" != 0 ]; then
  echo "slurm-cluster.sh: run as root" >&2
  exit 1
fi

# Is process $1 running (not gone, not a zombie awaiting its reaper) and named $2?
running() {
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
    ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Is the process whose id is in file $1 running and named $2 (not a stale file's reused id)?
alive() { [ -s "$1" ] && running "$(cat "$1")" "$2"; }

# Stop the process named $2 whose id is in file $1, waiting up to 10 s for it to go.
stop_pid() {
  local file=$1 name=$2 pid
  if alive "$file" "$name"; then
    pid=$(cat "$file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      running "$pid" "$name" || break
      sleep 0.2
    done
    if running "$pid" "$name"; then kill -9 "$pid" 2>/dev/null || true; fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

start() {
  if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 ||
    ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
  fi

  # munge: a key (the package's postinst usually made one), then the daemon as the munge user.
  install -d -o munge -g munge -m 0700 /etc/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile=/etc/munge/munge.key
    else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    fi
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  if ! alive "$MUNGE_PID" munged; then
    runuser -u munge -- /usr/sbin/munged
  fi
  for _ in $(seq 20); do
    if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  munge -n | unmunge >/dev/null

  # slurm.conf for one node named as `hostname -s` (slurmd finds its own entry by that name),
  # with the CPUs and memory that slurmd itself detects.
  local host node cpus mem
  host=$(hostname -s)
  node=$(slurmd -C 2>/dev/null | head -n 1 | sed -n 's/^NodeName=[^ ]* //p')
  if [ -z "$node" ]; then
    cpus=$(nproc)
    mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
    node="CPUs=${cpus} RealMemory=${mem}"
  fi
  install -d -m 0755 "$CONF_DIR" "$STATE_DIR" "$SPOOL_DIR" "$LOG_DIR"
  cat >"$CONF_DIR/slurm.conf.new" <<EOF
# Written by scripts/slurm-cluster.sh: a one-node test cluster on the loopback address.
ClusterName=contagion
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=${STATE_DIR}
SlurmdSpoolDir=${SPOOL_DIR}
SlurmctldPidFile=${CTLD_PID}
SlurmdPidFile=${SLURMD_PID}
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
# sbatch --wait polls every 2 s, then 8 s, then 32 s, unless MinJobAge/2 caps it: 16 keeps 8 s.
MinJobAge=16
KillWait=10
Waittime=0
NodeName=${host} NodeAddr=127.0.0.1 ${node} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
  local changed=0
  if ! cmp -s "$CONF_DIR/slurm.conf.new" "$CONF_DIR/slurm.conf"; then changed=1; fi
  mv "$CONF_DIR/slurm.conf.new" "$CONF_DIR/slurm.conf"
  # No cgroup.conf: Debian's Slurm 22.05 rejects CgroupPlugin=disabled (slurmd fails to start),
  # and without the file it autodetects and, with the plugins above, never uses cgroups.

  if [ "$changed" = 1 ] && { alive "$CTLD_PID" slurmctld || alive "$SLURMD_PID" slurmd; }; then
    # A different configuration than the running daemons': restart them.
    stop_pid "$SLURMD_PID" slurmd
    stop_pid "$CTLD_PID" slurmctld
  fi
  if ! alive "$CTLD_PID" slurmctld && ! /usr/sbin/slurmctld; then
    echo "slurm-cluster.sh: slurmctld did not start" >&2
    tail -n 20 "$LOG_DIR/slurmctld.log" >&2 || true
    exit 1
  fi
  if ! alive "$SLURMD_PID" slurmd && ! /usr/sbin/slurmd; then
    echo "slurm-cluster.sh: slurmd did not start" >&2
    tail -n 20 "$LOG_DIR/slurmd.log" >&2 || true
    exit 1
  fi

  # Wait for the node to be idle (or busy with jobs, if the cluster was already up).
  local state=""
  for _ in $(seq 60); do
    state=$(sinfo -h -N -n "$host" -o '%t' 2>/dev/null | head -n 1 || true)
    case "$state" in
      idle | mix | alloc) break ;;
      drain* | down* | fail* | inval*)
        # A node left down by an earlier run: bring it back.
        scontrol update NodeName="$host" State=RESUME 2>/dev/null || true
        ;;
    esac
    sleep 1
  done
  case "$state" in
    idle | mix | alloc) ;;
    *)
      echo "slurm-cluster.sh: node ${host} is '${state:-unknown}' after 60 s" >&2
      tail -n 20 "$LOG_DIR/slurmctld.log" >&2 || true
      tail -n 20 "$LOG_DIR/slurmd.log" >&2 || true
      exit 1
      ;;
  esac
  sinfo
}

stop() {
  stop_pid "$SLURMD_PID" slurmd
  stop_pid "$CTLD_PID" slurmctld
  stop_pid "$MUNGE_PID" munged
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
