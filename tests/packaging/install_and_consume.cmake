# Installs the build tree into a temporary prefix, then
#  1. configures, builds and runs a consumer project using find_package(veteran)
#  2. compiles and runs a C99 program against veteran.h using pkg-config
#     (-std=c99 -Wall -Wextra -pedantic -Werror).
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(f include/veteran/veteran.hpp include/veteran/error.hpp include/veteran.h
          include/veteran/c/core.h include/veteran/c/triage.h include/veteran/c/pii.h
          include/veteran/error_table.h include/veteran/version.h
          lib/cmake/veteran/veteranConfig.cmake lib/cmake/veteran/veteranConfigVersion.cmake
          lib/pkgconfig/veteran.pc lib/pkgconfig/veteran-c.pc)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "install is missing ${f}")
  endif()
endforeach()

# 1. CMake consumer
run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" -G "${CMAKE_GENERATOR}"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/consumer")
run("${WORK_DIR}/consumer/consumer")
if(NOT LAST_OUTPUT MATCHES "veteran ${EXPECTED_VERSION}")
  message(FATAL_ERROR "C++ consumer printed: ${LAST_OUTPUT}")
endif()
run("${WORK_DIR}/consumer/consumer_c")
if(NOT LAST_OUTPUT MATCHES "veteran-c ${EXPECTED_VERSION}")
  message(FATAL_ERROR "C consumer (CMake) printed: ${LAST_OUTPUT}")
endif()

# 2. pkg-config + strict C99
set(ENV{PKG_CONFIG_PATH} "${prefix}/lib/pkgconfig")
run(pkg-config --modversion veteran-c)
string(STRIP "${LAST_OUTPUT}" pc_version)
if(NOT pc_version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "veteran-c.pc says ${pc_version}, expected ${EXPECTED_VERSION}")
endif()
run(pkg-config --cflags --libs veteran-c)
string(STRIP "${LAST_OUTPUT}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(cc -std=c99 -Wall -Wextra -pedantic -Werror "${C_SOURCE}" ${flags}
    -Wl,-rpath,${prefix}/lib -o "${WORK_DIR}/c_pkgconfig")
run("${WORK_DIR}/c_pkgconfig")
if(NOT LAST_OUTPUT MATCHES "veteran-c ${EXPECTED_VERSION}")
  message(FATAL_ERROR "C consumer (pkg-config) printed: ${LAST_OUTPUT}")
endif()
message(STATUS "packaging OK: install, find_package and pkg-config consumers ran")
