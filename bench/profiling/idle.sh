#!/usr/bin/env bash
# idle.sh HOME SECONDS : per-process/thread CPU of the stack in HOME + broker JMX request rates + clients' requests over SECONDS
H=$1; S=${2:-60}
P=$H/pids
pg=$(head -1 $(find $H -name postmaster.pid | head -1))
pgs="$pg,$(pgrep -P $pg | paste -sd,)"
args=(); jvms=()
for f in $P/*.pid; do n=$(basename $f .pid); [ $n = postgres ] && continue; args+=("$n=$(cat $f)"); jvms+=("$n=$(cat $f)"); done
args+=("postgres=$pgs")
b=$(pgrep -f "strideback.home=$H .*io.strideback.bench.Bench" | head -1); [ -n "$b" ] && { args+=("bench=$b"); jvms+=("bench=$b"); }
uptime
java -cp ${TOOLS:-/tmp/h1tools} JmxRates $(cat $P/kafka.pid) $S > ${TOOLS:-/tmp/h1tools}/jmx.out 2>&1 &
j=$!
java -cp ${TOOLS:-/tmp/h1tools} ClientRates $S "${jvms[@]}" > ${TOOLS:-/tmp/h1tools}/clients.out 2>&1 &
k=$!
python3 ${TOOLS:-/tmp/h1tools}/threads.py $S "${args[@]}"
wait $j $k
head -16 ${TOOLS:-/tmp/h1tools}/jmx.out
grep -v " 0.0 " ${TOOLS:-/tmp/h1tools}/clients.out | head -40
uptime
