# compilescope_check_needs_no_torch(<static library> [LIBRARIES ...]): links every object of the library into a
# program of its own, with the given libraries and nothing of LibTorch or the engine. A call from that library into
# LibTorch or the engine is then an undefined reference at build time: the layer rule is the linker's, not a comment.
function(compilescope_check_needs_no_torch library)
    cmake_parse_arguments(ARG "" "" "LIBRARIES" ${ARGN})
    set(check ${library}_needs_no_torch)
    add_executable(${check} "${PROJECT_SOURCE_DIR}/cmake/needs_no_torch.cpp")
    target_link_libraries(${check} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${library}>" ${ARG_LIBRARIES})
    set_target_properties(${check} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/link-checks")
endfunction()
