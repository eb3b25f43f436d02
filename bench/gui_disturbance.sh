#!/usr/bin/env bash
# Does using the desktop app disturb its own measurements? Runs the same scripted GUI sweep (the quick seed grid,
# attention) under Xvfb, alternately left alone and with its tabs clicked through ten times a second by xdotool (as a
# user looking around), and prints the median coefficient of variation of each run's measurements. Alternating the two
# conditions keeps drift on a shared machine out of the comparison. With several build directories (e.g. one of an
# older commit) their runs alternate too.
#   PAIRS=2 bench/gui_disturbance.sh [BUILD_DIR...]
set -euo pipefail
builds=("${@:-build}")
pairs=${PAIRS:-2}
out=$(mktemp -d /tmp/compilescope-disturbance.XXXXXX)
display=:97
Xvfb "$display" -screen 0 1366x768x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=$display XDG_CONFIG_HOME="$out/config" XDG_DATA_HOME="$out/data"

run() { # name busy build
    local dir="$out/$1"
    "$3/bin/compilescope" --preset seed --quick --workload attention --run --export-dir "$dir" --quit \
        >"$out/$1.log" 2>&1 &
    local app=$!
    if [[ $2 == busy ]]; then
        sleep 3
        # Click through the tabs (their x positions in a fresh 1366x768 window), ten clicks a second.
        while kill -0 "$app" 2>/dev/null; do
            for x in 495 570 648 725 795 861 916; do
                xdotool mousemove "$x" 63 click 1 >/dev/null 2>&1 || true
                sleep 0.1
            done
        done &
    fi
    wait "$app"
}

for i in $(seq "$pairs"); do
    for b in "${!builds[@]}"; do
        run "b$b-idle-$i" idle "${builds[$b]}"
        run "b$b-busy-$i" busy "${builds[$b]}"
    done
done
for b in "${!builds[@]}"; do echo "b$b: ${builds[$b]}"; done

python3 - "$out" <<'PY'
import json, pathlib, statistics, sys
root = pathlib.Path(sys.argv[1])
print(f"{'run':12} {'measurements':>12} {'median CV':>10} {'max CV':>8}")
for run in sorted(root.glob("*/run.json")):
    ms = [m for m in json.loads(run.read_text())["measurements"] if m["status"] == "ok" and m["stats"]["n"] > 1]
    cvs = [m["stats"]["cv"] for m in ms]
    print(f"{run.parent.name:12} {len(ms):12} {100 * statistics.median(cvs):9.1f}% {100 * max(cvs):7.1f}%")
PY
