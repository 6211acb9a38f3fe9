# Replays one recording through `roadspeed analyze` and compares the result
# with the expected CSV beside it, byte for byte.
#
# The recording names its site file in a header comment,
#   # site-file: sites/villa-street.toml   (relative to tests/data/)
# gpiomon logs cannot carry comments: their arguments (site, first event
# time, chip) are in NAME.args beside them, one "--flag value" per line.
include(${CMAKE_CURRENT_LIST_DIR}/golden_common.cmake)
get_filename_component(data_dir ${RECORDING} DIRECTORY)
get_filename_component(name ${RECORDING} NAME)
string(REGEX REPLACE "\\.(trace\\.csv|gpiomon\\.log)$" "" stem ${name})
set(expected ${data_dir}/${stem}.vehicles.csv)
set(actual ${WORK_DIR}/${stem}.vehicles.csv)

set(args)
if(EXISTS ${RECORDING}.args)
  file(STRINGS ${RECORDING}.args lines)
  foreach(line IN LISTS lines)
    separate_arguments(parts UNIX_COMMAND "${line}")
    list(APPEND args ${parts})
  endforeach()
else()
  file(STRINGS ${RECORDING} site_line REGEX "^# site-file: " LIMIT_COUNT 1)
  if(NOT site_line)
    message(FATAL_ERROR "${RECORDING}: no '# site-file: FILE' header line")
  endif()
  string(REGEX REPLACE "^# site-file: *" "" site ${site_line})
  set(args --site ${site})
endif()

run_analyze(${actual} ${args} --trace ${RECORDING})
if(NOT EXISTS ${expected})
  message(FATAL_ERROR "${expected} is missing: run scripts/regen-golden and review the diff")
endif()
require_same(${expected} ${actual} "${name}: output differs from ${stem}.vehicles.csv")
