#!/usr/bin/env bash
# Builds the C echo client and server, starts the core's raw echo server (io.easynet.benchmarks.path.EchoServerMain)
# on a socket in a temporary directory and runs the client against it at 64 B with 10 and 100 connections, then
# does the same against the C echo server, the reference: what the machine does with this client.
#
#   benchmarks/c/run-echo-check.sh [warm-up s] [duration s]      (from the repository root; default 5 and 10)
#
# Set SKIP_BUILD=1 to reuse benchmarks/target from an earlier run.
set -euo pipefail

warmup=${1:-5}
duration=${2:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/benchmarks/target/c"
mkdir -p "$out"

gcc -O2 -Wall -Wextra -pthread -o "$out/echo_client" "$root/benchmarks/c/echo_client.c"
gcc -O2 -Wall -Wextra -pthread -o "$out/echo_server" "$root/benchmarks/c/echo_server.c"

cd "$root"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    env -u JAVA_HOME ./mvnw -q -pl benchmarks -am package -DskipTests
fi
env -u JAVA_HOME ./mvnw -q -pl benchmarks -am dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >/dev/null
# the core classes of this checkout, not whatever easynet-core was last installed in the local repository
classpath="benchmarks/target/classes:easynet-core/target/classes:$(cat "$out/classpath.txt")"

java=java
for candidate in "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
        java="$candidate/bin/java"
        break
    fi
done

socket_dir=$(mktemp -d)
server=
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi; rm -rf "$socket_dir"' EXIT

# measure <name> <server command...>: starts the server, runs the client against it, stops the server
measure() {
    local name=$1 socket="$socket_dir/$1.sock"
    shift
    "$@" "$socket" >/dev/null &
    server=$!
    for _ in $(seq 100); do
        [ -S "$socket" ] && break
        sleep 0.1
    done
    for connections in 10 100; do
        echo "$name: $("$out/echo_client" "$socket" -c "$connections" -s 64 -w "$warmup" -d "$duration")"
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
}

measure easynet "$java" --enable-native-access=ALL-UNNAMED -cp "$classpath" io.easynet.benchmarks.path.EchoServerMain
measure c-reference "$out/echo_server"
