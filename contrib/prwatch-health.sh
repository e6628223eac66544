#!/bin/sh
# Health check for monitoring systems (Nagios/Icinga-style exit codes, or a Docker/Kubernetes
# probe): OK while a poll finished within three poll intervals, CRITICAL otherwise; failing
# feeds are a WARNING. Needs jq.
#   PRWATCH_CONFIG=/etc/prwatch/config.toml contrib/prwatch-health.sh
out=$(prwatch status --json 2>&1)
code=$?
if [ $code -ne 0 ] && ! printf '%s' "$out" | jq -e . >/dev/null 2>&1; then
    echo "CRITICAL: $out"; exit 2
fi
last=$(printf '%s' "$out" | jq -r '.last_successful_poll // "never"')
failing=$(printf '%s' "$out" | jq -r '[.failing_feeds[].name] | join(", ")')
if [ $code -ne 0 ]; then
    echo "CRITICAL: no poll finished since $last (is prwatch run running?)"; exit 2
fi
if [ -n "$failing" ]; then
    echo "WARNING: last poll $last; failing feeds: $failing"; exit 1
fi
echo "OK: last poll $last"; exit 0
