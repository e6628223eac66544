#!/bin/sh
# Health check for monitoring systems (Nagios/Icinga-style exit codes, or a Docker/Kubernetes
# probe), from the exit code of `prwatch status`: OK (0) while a poll finished within three
# poll intervals and nothing needs attention; WARNING (status exit 3) when a feed is failing or
# an alert message was given up; CRITICAL otherwise (exit 1: polling is down, or prwatch could
# not answer). Needs jq.
#   PRWATCH_CONFIG=/etc/prwatch/config.toml contrib/prwatch-health.sh
out=$(prwatch status --json 2>&1)
code=$?
if [ $code -ne 0 ] && [ $code -ne 3 ] && ! printf '%s' "$out" | jq -e . >/dev/null 2>&1; then
    echo "CRITICAL: $out"; exit 2
fi
last=$(printf '%s' "$out" | jq -r '.last_successful_poll // "never"')
case $code in
    0) echo "OK: last poll $last"; exit 0 ;;
    3) failing=$(printf '%s' "$out" | jq -r '[.failing_feeds[].name] | join(", ")')
       attention=$(printf '%s' "$out" | jq -r '.attention | join("; ")')
       echo "WARNING: last poll $last; $attention${failing:+ (failing feeds: $failing)}"; exit 1 ;;
    *) echo "CRITICAL: no poll finished since $last (is prwatch run running?)"; exit 2 ;;
esac
