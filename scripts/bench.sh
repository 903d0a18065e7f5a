#!/usr/bin/env bash
# npm run bench: placeholder until the benchmark harness (bench/) is written.
echo "bench harness not yet written" >&2
exit 1
