# Run at build time (cmake -P): writes OUTPUT, a header defining COMPILESCOPE_GIT_REVISION, only when the revision
# changed, so that a new commit recompiles the one file that includes it and a report never names a stale commit.
# "-dirty" marks a tree with uncommitted changes to tracked files: its results are not exactly that commit's.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
    OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
    set(revision "unknown")
else()
    execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
        OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(changes)
        string(APPEND revision "-dirty")
    endif()
endif()
file(WRITE "${OUTPUT}.tmp" "#define COMPILESCOPE_GIT_REVISION \"${revision}\"\n")
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
