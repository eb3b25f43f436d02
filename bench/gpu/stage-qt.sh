#!/usr/bin/env bash
# Run HERE (Debian 12, apt reachable), after bench/gpu/stage-deps.sh (which empties .third_party/): downloads into
# .third_party/debs/ the Debian packages that build and run the GUI on the GPU server, which has no Qt, no apt and
# no network. There `bench/gpu/run.sh gui` unpacks them with dpkg-deb -x into ${QT_ROOT:-/tmp/qt-root} (never into /).
#
# The list is the closure of `ldd` over compilescope, ui_tests, the Qt libraries, the offscreen platform plugin and
# moc/uic/rcc, less what every Linux has (glibc's libraries, libstdc++, libgcc_s, libz), plus what the build alone
# needs: headers, CMake configs and host tools (qt6-base-dev, qt6-base-dev-tools, qmake6, libqcustomplot-dev), the GL
# headers and link symlinks that Qt6Gui's CMake config requires (WrapOpenGL -> FindOpenGL, GLVND: libOpenGL.so and
# libGLX.so). The script checks the downloaded set: every DT_NEEDED of the files the GUI uses must be in it.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(
    # Qt 6 base: the modules the GUI and its tests link, their headers, CMake configs, moc/uic/rcc and qmake
    # (Qt6CoreTools.cmake checks that every tool it names exists, qmake among them)
    libqt6core6 libqt6gui6 libqt6widgets6 libqt6printsupport6 libqt6dbus6 libqt6test6
    qt6-base-dev qt6-base-dev-tools qmake6 qmake6-bin
    # QCustomPlot for Qt 6: library, header, CMake config (QCustomPlotQt6Config.cmake, relocatable)
    libqcustomplot2.1-qt6 libqcustomplot-dev
    # OpenGL through GLVND: Qt6Gui needs libEGL/libOpenGL/libGLX at run time and the GL headers + link symlinks to
    # configure (libgl-dev: GL/gl.h, KHR/; libglx-dev: libGLX.so; libopengl-dev: libOpenGL.so)
    libglvnd0 libopengl0 libglx0 libegl1 libgl-dev libglx-dev libopengl-dev
    # Qt Core's libraries
    libicu72 libdouble-conversion3 libb2-1 libgomp1 libpcre2-16-0 libpcre2-8-0 libglib2.0-0 libzstd1
    libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1 liblzma5
    # Qt Gui's: text, fonts, images, keyboard, D-Bus, X11 (through libGLX)
    libharfbuzz0b libgraphite2-3 libfreetype6 libbrotli1 libpng16-16 libfontconfig1 libexpat1 libmd4c0
    libxkbcommon0 libdbus-1-3 libx11-6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0
    # The JPEG image-format plugin's library (Qt loads every image-format plugin when it lists formats)
    libjpeg62-turbo
    # Fonts: the offscreen platform draws text with what fontconfig finds (run.sh writes a fonts.conf for these)
    fonts-dejavu-core
)

rm -rf .third_party/debs && mkdir -p .third_party/debs
(cd .third_party/debs && apt-get download -q "${packages[@]}" 2>&1 | grep -v "^Get:\|unsandboxed" || true)
test "$(ls .third_party/debs/*.deb | wc -l)" -eq "${#packages[@]}" \
    || { echo "downloaded $(ls .third_party/debs/*.deb | wc -l) of ${#packages[@]} packages"; exit 1; }

# The check: unpack into a scratch folder and follow DT_NEEDED from what the GUI loads or runs (the Qt modules it
# links, QCustomPlot, the offscreen platform plugin, the image-format plugins, moc/uic/rcc). Each library reached
# must be a file of the unpacked tree or one of those every Linux has. (libQt6XcbQpa, GIO and GObject come along in
# the packages but are never loaded offscreen, so their libraries stay out.)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for deb in .third_party/debs/*.deb; do dpkg-deb -x "$deb" "$scratch"; done
libdirs=("$scratch/usr/lib/x86_64-linux-gnu" "$scratch/lib/x86_64-linux-gnu")
base='^(libc|libm|libdl|libpthread|librt|ld-linux-x86-64|libstdc\+\+|libgcc_s|libz)\.so'
mapfile -t todo < <(ls "${libdirs[0]}"/libQt6{Core,Gui,Widgets,PrintSupport,DBus,Test}.so.6 \
    "${libdirs[0]}"/libQCustomPlotQt6.so.2.1 "${libdirs[0]}"/qt6/plugins/platforms/libqoffscreen.so \
    "${libdirs[0]}"/qt6/plugins/imageformats/*.so "$scratch"/usr/lib/qt6/libexec/{moc,uic,rcc})
declare -A seen=()
missing=0
files=()
while [ "${#todo[@]}" -gt 0 ]; do
    file=${todo[0]} && todo=("${todo[@]:1}") && files+=("$file")
    while IFS= read -r needed; do
        [[ $needed =~ $base ]] && continue
        [ -n "${seen[$needed]:-}" ] && continue
        seen[$needed]=1
        if [ -e "${libdirs[0]}/$needed" ]; then todo+=("${libdirs[0]}/$needed")
        elif [ -e "${libdirs[1]}/$needed" ]; then todo+=("${libdirs[1]}/$needed")
        else echo "MISSING: $needed (needed by ${file#"$scratch"/})"; missing=1
        fi
    done < <(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
echo "${#seen[@]} libraries reached from the Qt modules, plugins and tools the GUI uses: $(echo "${!seen[@]}" | tr ' ' '\n' | sort | tr '\n' ' ')"
versions=$(objdump -T "${files[@]}" | grep -o 'GLIBC_2\.[0-9]*\|GLIBCXX_3\.4\.[0-9]*' | sort -V -u)
glibc=$(grep GLIBC_ <<< "$versions" | tail -1) glibcxx=$(grep GLIBCXX_ <<< "$versions" | tail -1)
echo "${#packages[@]} packages; the newest symbol versions they need: $glibc (by" \
    "$(for f in "${files[@]}"; do objdump -T "$f" | grep -F "($glibc)" > /dev/null && basename "$f"; done | xargs)), $glibcxx"
[ "$missing" = 0 ] || { echo "add the packages that provide the MISSING libraries above"; exit 1; }
du -sh .third_party/debs && du -sh .third_party
