#!/usr/bin/env bash
# The GPU benchmark, run ON THE GPU SERVER from the repository root, after bench/gpu/stage-deps.sh has copied the
# header-only dependencies into .third_party/ where the Debian packages are (the server has no apt, no network).
#
#   bench/gpu/run.sh check         the GPU check that gates every change to the engine, timing, memory guard, worker
#                                  or build (CONTRIBUTING.md): build, every test on CUDA, a quick all-variant race of
#                                  the seed preset; one summary line ("gpu check: PASS | ..."), exit 0 only if no
#                                  test failed and every measurement of the race is ok
#   bench/gpu/run.sh check-tests, then check-race
#                                  the same check in two calls on one warm machine, when one call's limit is too
#                                  short (the H100, 2026-12-07: 71 s build, ctest > 240 s, race 146 s); pass
#                                  CHECK_COMMIT (the machine's .git can be older than the tree) and, per call,
#                                  CHECK_BUDGET_S
#   bench/gpu/run.sh build         configure + build core, CLI and core tests against the server's pip LibTorch,
#                                  run the tests on CUDA, print env and list
#   bench/gpu/run.sh race PRESET [WORKLOAD]
#                                  the race on one GPU in one sweep: every C++ variant and the Python ones (Python
#                                  eager, torch.compile default and reduce-overhead; RACE_FLAGS='--py-adamw fused'
#                                  for the fused AdamW) cell by cell, then the table of bench/race_table.py;
#                                  WORKLOAD: attention, transformer_lm or all (default)
#   bench/gpu/run.sh sweep ARGS... one compilescope-cli run on CUDA with extra flags (e.g. --dtype bf16)
#   bench/gpu/run.sh faults        after a build: a crashing variant, an invalidated capture and a lost device, each
#                                  in a CUDA sweep through the worker; the statuses, and what was not ok
#   bench/gpu/run.sh export PRESET the AOTInductor packages of a preset's grid on CUDA, timed (export-aoti)
#   bench/gpu/run.sh gui           the GUI against Debian 12's Qt 6, which bench/gpu/stage-qt.sh put in
#                                  .third_party/debs/: unpack into ${QT_ROOT:-/tmp/qt-root}, configure + build
#                                  compilescope and ui_tests in ${GUI_BUILD_DIR:-build-gpu-gui}, run the ui tests
#                                  offscreen (ctest -R ${GUI_TESTS:-^ui_tests}), print compilescope --help
#   bench/gpu/run.sh gui-configure only unpack and configure (the first half of gui)
#   bench/gpu/run.sh gui-run ARGS...
#                                  compilescope ARGS... offscreen with that Qt, e.g.
#                                  --preset seed --quick --run --export-dir results/gui --quit
#   bench/gpu/run.sh gui-check [FILE...]
#                                  unpack, print the environment, ldd -r Qt, QCustomPlot, the offscreen plugin,
#                                  moc/uic/rcc and FILE...: every library and symbol must resolve
#
# AOTInductor packages go to ${AOTI_CACHE:-.aoti-cache-gpu} (git-ignored). Inductor compiles them with $CXX; this
# image sets CXX=/opt/gcc/bin/g++, whose model libraries carry a static libstdc++ that crashes on load (std::regex,
# docs/aoti.md), so the commands below run with CXX=${AOTI_CXX:-/usr/bin/g++}.
#
# The GUI's libraries: GUI_LIBS=missing (default) puts on LD_LIBRARY_PATH the Qt and QCustomPlot libraries and,
# of the other unpacked ones, only those whose soname this system lacks (ldconfig -p), as symlinks in
# $QT_ROOT/ld-path; so the system's tools and Pythons keep their own libraries (Debian 12's libexpat, for one,
# needs glibc 2.36). GUI_LIBS=all puts the whole unpacked tree first (for a check on a machine that has them all).
#
# Everything lands in ${RESULTS:-results}: logs, the runs' JSON and Markdown, race-PRESET.md.
set -uo pipefail
out=${RESULTS:-results}
mkdir -p "$out"
build=${BUILD_DIR:-build-gpu}
cli="$build/bin/compilescope-cli"
variants=eager,torchscript,fused-sdpa,cuda-graph,cuda-graph+fused-sdpa,cuda-graph+torchscript+fused-sdpa
read -r -a race_flags <<< "${RACE_FLAGS:-}"
# CUDA events keep GPU-bound cells quiet, so a cell needs far less than the desktop default of 0.5 s to reach 1 %;
# host-bound ones (launch jitter, CV 10-40 %) stop at 300 iterations instead of chasing 1 % for seconds.
timing=(--min-time 0.1 --max-time 2 --max-iters 300 --warmup 3)
aoti_cache=${AOTI_CACHE:-$PWD/.aoti-cache-gpu}
with_cxx=(env CXX="${AOTI_CXX:-/usr/bin/g++}")
qt_root=${QT_ROOT:-/tmp/qt-root}
qt_lib=$qt_root/usr/lib/x86_64-linux-gnu
gui_build=${GUI_BUILD_DIR:-build-gpu-gui}

stage_build() {
    local start
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' \
        | tee "$out/torch.txt"
    start=$(date +%s)
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPILESCOPE_BUILD_GUI=OFF \
        -DCOMPILESCOPE_PYTHON="$(command -v python3)" -DCOMPILESCOPE_THIRD_PARTY_DIR="$PWD/.third_party" > "$out/configure.log" 2>&1 \
        || { tail -40 "$out/configure.log"; return 1; }
    cmake --build "$build" -j "$(nproc)" > "$out/build.log" 2>&1 \
        || { grep -B2 -A12 "error" "$out/build.log" | head -120; return 1; }
    echo "configure + build: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    # CTEST_STOP_AT (HH:MM:SS): stop starting tests then, so that a check on a lease with little time left still
    # reaches its race and its summary line (a test not run counts as not passed).
    local stop_at=()
    [ -n "${CTEST_STOP_AT:-}" ] && stop_at=(--stop-time "$CTEST_STOP_AT")
    (cd "$build" && "${with_cxx[@]}" ctest --output-on-failure -j "${CTEST_JOBS:-8}" "${stop_at[@]}") > "$out/ctest.log" 2>&1
    local status=$?
    echo "ctest exit $status in $(( $(date +%s) - start )) s"
    grep -E "tests passed|tests failed|\*\*\*Failed|Failed  " "$out/ctest.log" | head -20
    "$cli" env | tee "$out/env.txt"
    "$cli" list | tee "$out/list.txt"
    return $status
}

# The GPU check in one call (stage_check), or in two consecutive calls on the same warm machine when one call's time
# limit is too short for both halves: check-tests (build and every test), then check-race (the quick race and the
# summary line, which reads what check-tests left in $out).
stage_check_tests() {
    rm -f "$out/ctest.log" "$out/check-race.json" "$out/check-build-status"
    date +%s > "$out/check-started"
    # CHECK_BUDGET_S: the seconds this call may take in all (the device lease's per-call limit, less a margin): the
    # tests stop starting (and the running ones are killed) when $1 s are left for the race, which is stopped (its
    # finished cells kept) 20 s before the end, so the summary line always comes. Unset: no limits. check-tests
    # leaves the race nothing: it has a call of its own, and ctest starts its longest tests (AOTInductor, the tiny
    # race: 3-5 min on the H100) late, so any reserve kills them (2026-12-07: 267/270, all three stopped).
    local race_reserve_s=$1
    if [ -n "${CHECK_BUDGET_S:-}" ]; then
        export CTEST_STOP_AT
        CTEST_STOP_AT=$(date -d "@$(($(date +%s) + CHECK_BUDGET_S - race_reserve_s))" +%H:%M:%S)
    fi
    # stage_build's status is ctest's once the build went through; the race runs whatever the tests said, and the
    # build counts as done when ctest ran.
    stage_build
    if [ -x "$cli" ] && [ -s "$out/ctest.log" ]; then echo ok; else echo failed; fi > "$out/check-build-status"
}

stage_check_race() {
    local started build_status label race_limit=() call_started=${CHECK_CALL_STARTED:-$(date +%s)}
    started=$(cat "$out/check-started" 2> /dev/null || date +%s)
    build_status=$(cat "$out/check-build-status" 2> /dev/null || echo failed)
    if [ -n "${CHECK_BUDGET_S:-}" ]; then
        local left=$((CHECK_BUDGET_S - ($(date +%s) - call_started) - 20))
        race_limit=(timeout -s INT -k 10 $((left > 30 ? left : 30)))
    fi
    if [ "$build_status" = ok ]; then
        "${race_limit[@]}" "${with_cxx[@]}" "$cli" run --preset seed --quick --device cuda --variants all "${timing[@]}" \
            --aoti-cache "$aoti_cache" --json "$out/check-race.json" --markdown "$out/check-race.md" \
            > "$out/check-race.log" 2>&1
        tail -2 "$out/check-race.log"
    fi
    # The device machine's copy of .git can be older than the tree it runs: say which commit with CHECK_COMMIT.
    label=${CHECK_COMMIT:-$(git rev-parse --short HEAD 2> /dev/null || echo "?")}
    label+=", $(cat "$out/torch.txt" 2> /dev/null)"
    python3 bench/gpu/check_summary.py --build "$build_status" --ctest-log "$out/ctest.log" \
        --race "$out/check-race.json" --label "$label" --seconds $(($(date +%s) - started)) | tee "$out/check-summary.txt"
}

stage_check() {
    local call_started
    call_started=$(date +%s)
    stage_check_tests "${CHECK_RACE_RESERVE_S:-240}"
    CHECK_CALL_STARTED=$call_started stage_check_race
}

stage_race() {
    local preset=$1 workload=${2:-all} name start
    name=$preset$([ "$workload" = all ] || echo "-$workload")
    start=$(date +%s)
    # One sweep: every C++ variant and the Python ones (py-eager, torch-compile, torch-compile-ro) cell by cell, on the
    # same tensors, checked against C++ eager.
    "${with_cxx[@]}" "$cli" run --preset "$preset" --workload "$workload" --device cuda --variants all "${timing[@]}" \
        --aoti-cache "$aoti_cache" "${race_flags[@]}" \
        --json "$out/race-$name.json" --markdown "$out/race-$name-report.md" > "$out/race-$name.log" 2>&1
    echo "race $name sweep: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/race-$name.log"
    python3 bench/race_table.py "$out/race-$name.json" --command "bench/gpu/run.sh race $preset $workload" \
        > "$out/race-$name.md"
    echo "race table: $out/race-$name.md"
}

stage_sweep() {
    local name start
    name=$(echo "$*" | tr -c 'a-zA-Z0-9\n' '_' | tr -s '_' | sed 's/^_//; s/_$//')
    start=$(date +%s)
    "$cli" run --device cuda --variants "$variants" "${timing[@]}" "$@" \
        --json "$out/sweep-$name.json" --markdown "$out/sweep-$name.md" > "$out/sweep-$name.log" 2>&1
    echo "sweep $*: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/sweep-$name.log"
}

# Faults on CUDA through the worker, each in its own sweep of attention cells with the CUDA-graph variants: a variant
# that crashes its worker (a fresh worker goes on), a capture that CUDA invalidates half-way, and a device that
# restore_device cannot mend (the worker is replaced). Each must end with its other measurements ok.
stage_faults() {
    local spec name args=(run --device cuda --workload attention --d-model 16,32 --seq-len 64,128
        --phases forward,backward --variants eager,cuda-graph,fused-sdpa,cuda-graph+fused-sdpa --iters 20 --warmup 3)
    for spec in crash=cuda-graph capture=invalidate@2 measurement=error@2,device_lost=lost; do
        name=faults-${spec%%=*}
        COMPILESCOPE_FAILPOINTS=$spec timeout 240 "$cli" "${args[@]}" --json "$out/$name.json" > "$out/$name.log" 2>&1
        echo "$spec: exit $?"
        python3 - "$out/$name.json" << 'PY'
import collections, json, sys
run = json.load(open(sys.argv[1]))
counts = collections.Counter((m["variant"], m["status"]) for m in run["measurements"])
print("  ", ", ".join(f"{variant} {status} {n}" for (variant, status), n in sorted(counts.items())),
      "| cancelled" if run.get("cancelled") else "")
for m in run["measurements"]:
    if m["status"] != "ok":
        print("   ", m["cell"]["d_model"], m["cell"]["seq_len"], m["phase"], m["variant"], m["status"], m["message"][:160])
PY
    done
}

stage_export() {
    local preset=$1 start
    start=$(date +%s)
    "${with_cxx[@]}" "$cli" export-aoti --preset "$preset" --device cuda --aoti-cache "$aoti_cache" \
        > "$out/export-$preset.txt" 2> "$out/export-$preset.log"
    echo "export-aoti $preset: exit $? in $(( $(date +%s) - start )) s"
    grep -c "exported in" "$out/export-$preset.txt"
    grep -v "exported in\|in the cache\|^    /" "$out/export-$preset.txt" | head -20
}

# Unpacks .third_party/debs/*.deb into $qt_root, once per set of packages (names and sizes).
gui_unpack() {
    local debs=(.third_party/debs/*.deb) stamp deb member
    [ -f "${debs[0]}" ] || { echo "no .third_party/debs/*.deb: run bench/gpu/stage-qt.sh where apt works"; return 1; }
    case $(realpath -m "$qt_root") in
    / | /usr | /usr/* | /lib* | /bin* | /sbin* | /etc* | /opt | "$HOME") echo "QT_ROOT=$qt_root: give it a folder of its own"; return 1 ;;
    esac
    stamp=$(stat -c '%n %s' "${debs[@]}" | md5sum)
    [ "$(cat "$qt_root/.debs" 2> /dev/null)" = "$stamp" ] && return 0
    rm -rf "$qt_root" && mkdir -p "$qt_root" || return 1
    for deb in "${debs[@]}"; do
        if command -v dpkg-deb > /dev/null; then
            dpkg-deb -x "$deb" "$qt_root" || return 1
        else # a .deb is an ar archive whose files are in data.tar.xz (or .zst, .gz)
            member=$(ar t "$deb" | grep '^data\.tar') || return 1
            ar p "$deb" "$member" | tar -x -C "$qt_root" "$(case $member in *.xz) echo -J ;; *.zst) echo --zstd ;; *) echo -z ;; esac)" \
                || return 1
        fi
    done
    echo "$stamp" > "$qt_root/.debs"
    echo "unpacked ${#debs[@]} packages into $qt_root ($(du -sh "$qt_root" | cut -f1))"
}

# The GUI's run-time environment (GUI_LIBS above): LD_LIBRARY_PATH, QT_PLUGIN_PATH, QT_QPA_PLATFORM=offscreen and
# FONTCONFIG_FILE (the unpacked DejaVu fonts, cache in /tmp); and gui_cmake_args, to configure against that Qt.
gui_env() {
    local lib name have ld_dirs farm=$qt_root/ld-path
    gui_unpack || return 1
    if [ "${GUI_LIBS:-missing}" = all ]; then
        ld_dirs=$qt_lib:$qt_root/lib/x86_64-linux-gnu
    else
        have=$( { ldconfig -p || /sbin/ldconfig -p; } 2> /dev/null | awk '/x86-64/ {print $1}')
        [ -n "$have" ] || echo "ldconfig -p lists nothing: every unpacked library goes on LD_LIBRARY_PATH"
        rm -rf "$farm" && mkdir -p "$farm"
        for lib in "$qt_lib"/lib*.so.* "$qt_root"/lib/x86_64-linux-gnu/lib*.so.*; do
            name=${lib##*/}
            case $name in
            libQt6* | libQCustomPlot*) ;; # Qt's libraries come together, whatever the system has
            *) grep -qxF "$name" <<< "$have" && continue ;;
            esac
            ln -sf "$lib" "$farm/$name"
        done
        ld_dirs=$farm
    fi
    export LD_LIBRARY_PATH=$ld_dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export QT_PLUGIN_PATH=$qt_lib/qt6/plugins
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    export FONTCONFIG_FILE=$qt_root/fonts.conf
    cat > "$FONTCONFIG_FILE" << EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$qt_root/usr/share/fonts</dir>
  <cachedir>${TMPDIR:-/tmp}/compilescope-fontconfig</cachedir>
  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>
  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
EOF
    # Qt's CMake configs and QCustomPlot's compute their prefix from where they lie. The second prefix finds them
    # where the compiler gives CMake no library architecture; the linker follows the Qt libraries' own
    # dependencies through the folders the loader uses.
    gui_cmake_args=(-DCOMPILESCOPE_BUILD_GUI=ON "-DCMAKE_PREFIX_PATH=$qt_root/usr;$qt_lib/cmake"
        "-DCMAKE_LIBRARY_PATH=$qt_lib" "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-rpath-link,$ld_dirs"
        "-DCOMPILESCOPE_THIRD_PARTY_DIR=$PWD/.third_party")
}

# ldd -r over the Qt modules the GUI links, QCustomPlot, the offscreen plugin, moc/uic/rcc and FILE...: nothing
# unresolved; then where the libraries outside $qt_root come from.
gui_check_libs() {
    local files=("$qt_lib"/libQt6{Widgets,PrintSupport,Test}.so.6 "$qt_lib/libQCustomPlotQt6.so.2.1"
        "$QT_PLUGIN_PATH/platforms/libqoffscreen.so" "$qt_root"/usr/lib/qt6/libexec/{moc,uic,rcc} "$@")
    if ldd -r "${files[@]}" 2>&1 | grep -E "not found|undefined symbol"; then
        echo "unresolved libraries or symbols above"
        return 1
    fi
    echo "ldd: ${#files[@]} files resolve; $(ldd "${files[@]}" | grep -c "=> $qt_root") of their libraries from" \
        "$qt_root, the others from: $(ldd "${files[@]}" | grep "=> /" | grep -v "=> $qt_root" | awk '{print $3}' | sort -u | xargs)"
}

stage_gui_configure() {
    gui_env || return 1
    gui_check_libs || return 1
    cmake -S . -B "$gui_build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPILESCOPE_PYTHON="$(command -v python3)" \
        "${gui_cmake_args[@]}" > "$out/gui-configure.log" 2>&1 || { tail -40 "$out/gui-configure.log"; return 1; }
    grep -E "^(Qt6_DIR|Qt6Widgets_DIR|QCustomPlotQt6_DIR|OPENGL_opengl_LIBRARY|OPENGL_glx_LIBRARY|OPENGL_INCLUDE_DIR):" \
        "$gui_build/CMakeCache.txt"
}

stage_gui() {
    local start status targets
    start=$(date +%s)
    stage_gui_configure || return 1
    # GUI_TARGETS=all builds the CLI and every test too, in the same tree (one build for the whole device call).
    read -r -a targets <<< "${GUI_TARGETS:-compilescope ui_tests}"
    [ "${targets[0]}" = all ] && targets=(all)
    cmake --build "$gui_build" -j "$(nproc)" --target "${targets[@]}" > "$out/gui-build.log" 2>&1 \
        || { grep -B2 -A12 "error:" "$out/gui-build.log" | head -120; return 1; }
    echo "gui configure + build: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    (cd "$gui_build" && "${with_cxx[@]}" ctest -R "${GUI_TESTS:-^ui_tests}" --output-on-failure -j 4) \
        > "$out/gui-ctest.log" 2>&1
    status=$?
    echo "gui ctest exit $status in $(( $(date +%s) - start )) s"
    grep -E "tests passed|tests failed|\*\*\*Failed|Failed  " "$out/gui-ctest.log" | head -20
    "$gui_build/bin/compilescope" --help 2>&1 | tee "$out/gui-help.txt"
    return $status
}

stage_gui_run() {
    gui_env || return 1
    "${with_cxx[@]}" "$gui_build/bin/compilescope" "$@"
}

stage_gui_check() {
    gui_env || return 1
    echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    echo "QT_PLUGIN_PATH=$QT_PLUGIN_PATH QT_QPA_PLATFORM=$QT_QPA_PLATFORM FONTCONFIG_FILE=$FONTCONFIG_FILE"
    gui_check_libs "$@"
}

case "${1:-}" in
check) stage_check ;;
check-tests) stage_check_tests "${CHECK_RACE_RESERVE_S:-0}" ;;
check-race) stage_check_race ;;
build) stage_build ;;
race) stage_race "${2:?race needs a preset, e.g. seed}" "${3:-all}" ;;
sweep) shift; stage_sweep "$@" ;;
export) stage_export "${2:?export needs a preset, e.g. seed}" ;;
faults) stage_faults ;;
gui) stage_gui ;;
gui-configure) stage_gui_configure ;;
gui-run) shift; stage_gui_run "$@" ;;
gui-check) shift; stage_gui_check "$@" ;;
*) sed -n '2,41p' "$0"; exit 2 ;;
esac
