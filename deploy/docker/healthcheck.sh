#!/usr/bin/env bash
# Container HEALTHCHECK without curl or wget (neither is in the slim runtime images): one HTTP/1.1
# GET over bash's /dev/tcp, healthy when the status line says 200.
#   healthcheck.sh [PATH [PORT]]   default /q/health/live on QUARKUS_MANAGEMENT_PORT (default 9000): the
#                                  images are built with the management interface, which serves /q/* on
#                                  its own port (docs/deployment.md#operations-port)
path=${1:-/q/health/live}
port=${2:-${QUARKUS_MANAGEMENT_PORT:-9000}}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS=' ' read -r -t 5 _ status _ <&3 || exit 1
exec 3<&-
[ "$status" = 200 ]
