#!/usr/bin/env bash
# A whole studio cluster on this machine, on loopback, for a person to try what several machines would run:
# PostgreSQL (the shared store and queue), Redis (progress fan-out, wake-ups, SignalR's backplane), two web nodes,
# two workers and the proxy with sticky sessions in front. Ctrl+C stops everything; the data stays in $CLUSTER_DIR.
#
#   bash scripts/cluster.sh            # then open the URL it prints
#
# Each part maps onto a machine of its own in production: see "Scale out" in the README.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR="${CLUSTER_DIR:-$PWD/data/cluster}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
PROXY_PORT="${PROXY_PORT:-8080}"
WEB_PORTS=(5001 5002)
WORKERS="${WORKERS:-2}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" /usr/bin/redis-server; do
  [ -x "$tool" ] || { echo "missing $tool: install PostgreSQL 15 and redis-server (apt-get install postgresql-15 redis-server)" >&2; exit 1; }
done

echo "Building the web app, the worker and the proxy (Release)..."
dotnet build src/WebStudio.Web -c Release -v quiet -nologo >/dev/null
dotnet build src/WebStudio.Worker -c Release -v quiet -nologo >/dev/null
dotnet build src/WebStudio.Proxy -c Release -v quiet -nologo >/dev/null

mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/images"
pids=()
names=()
stop_all() {
  echo; echo "Stopping the cluster..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/postgres" -m fast stop >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap 'stop_all; trap - EXIT; exit 130' INT TERM

# PostgreSQL refuses to run as root: as root, it runs as the unprivileged user postgres.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$CLUSTER_DIR/postgres/PG_VERSION" ]; then
  mkdir -p "$CLUSTER_DIR/postgres"
  [ "$(id -u)" -eq 0 ] && chown postgres "$CLUSTER_DIR/postgres"
  as_pg "$PG_BIN/initdb" -D "$CLUSTER_DIR/postgres" -U webstudio --auth=trust -E UTF8 >/dev/null
fi
[ "$(id -u)" -eq 0 ] && chown postgres "$CLUSTER_DIR/logs"
as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/postgres" -l "$CLUSTER_DIR/logs/postgres.log" -w \
  -o "-p $PG_PORT -k $CLUSTER_DIR/postgres -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U webstudio -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='webstudio'" | grep -q 1 \
  || "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U webstudio -d postgres -qc "CREATE DATABASE webstudio" 
echo "PostgreSQL on 127.0.0.1:$PG_PORT"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$CLUSTER_DIR" >"$CLUSTER_DIR/logs/redis.log" 2>&1 &
pids+=($!); names+=("redis")
echo "Redis on 127.0.0.1:$REDIS_PORT"

# Every web node and worker shares these: the database, Redis, the image store (a shared volume in production) and
# the models. Data Protection's keys are in the database, so cookies and signed links work on every node.
common=(
  --Studio:Database=Postgres
  "--Studio:ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Database=webstudio;Username=webstudio"
  "--Studio:DatabasePath=$CLUSTER_DIR/unused.db"
  "--Redis:Configuration=127.0.0.1:$REDIS_PORT"
  "--Storage:ImagesPath=$CLUSTER_DIR/images"
  "--Generation:ModelsPath=$PWD/models"
)

nodes=()
for i in "${!WEB_PORTS[@]}"; do
  port=${WEB_PORTS[$i]}
  dotnet src/WebStudio.Web/bin/Release/net10.0/WebStudio.Web.dll --urls "http://127.0.0.1:$port" --Queue:RunJobs=false "${common[@]}" \
    >"$CLUSTER_DIR/logs/web$((i + 1)).log" 2>&1 &
  pids+=($!); names+=("web node $((i + 1)) (port $port)")
  nodes+=("--Proxy:Nodes:$i=http://127.0.0.1:$port")
  # The first node migrates the database before the others start.
  [ "$i" -eq 0 ] && until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done
done

for i in $(seq 1 "$WORKERS"); do
  # One worker per GPU in production (Generation:CudaDeviceId); here, one CPU thread each on a small machine.
  dotnet src/WebStudio.Worker/bin/Release/net10.0/WebStudio.Worker.dll --Generation:IntraOpThreads=1 "${common[@]}" \
    >"$CLUSTER_DIR/logs/worker$i.log" 2>&1 &
  pids+=($!); names+=("worker $i")
done

dotnet src/WebStudio.Proxy/bin/Release/net10.0/WebStudio.Proxy.dll --urls "http://127.0.0.1:$PROXY_PORT" "${nodes[@]}" \
  >"$CLUSTER_DIR/logs/proxy.log" 2>&1 &
pids+=($!); names+=("proxy")
for port in "${WEB_PORTS[@]}"; do until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done; done
until curl -fs "http://127.0.0.1:$PROXY_PORT/healthz" >/dev/null; do sleep 0.5; done

echo
echo "WebStudio cluster is running at http://127.0.0.1:$PROXY_PORT"
echo "  web nodes: ${WEB_PORTS[*]} (each /readyz), workers: $WORKERS, logs: $CLUSTER_DIR/logs"
for i in "${!pids[@]}"; do echo "  ${names[$i]}: pid ${pids[$i]}"; done
echo "Try a failure: kill -9 a worker's pid while it runs a job; its job goes back to the queue when its lease runs out"
echo "(Queue:LeaseSeconds, 30) and the other worker finishes it. The rest of the cluster keeps running."
echo "Press Ctrl+C to stop it."
# Until Ctrl+C: a process that ends (killed, or crashed) is reported, and the others go on.
while :; do
  live=()
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then live+=("${pids[$i]}"); elif [ -n "${names[$i]}" ]; then
      echo "$(date +%T) ${names[$i]} (pid ${pids[$i]}) has ended; its log is in $CLUSTER_DIR/logs"; names[$i]=""
    fi
  done
  [ "${#live[@]}" -eq 0 ] && break
  wait -n "${live[@]}" 2>/dev/null || true
done
