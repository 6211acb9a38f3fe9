# Replays one recording through `roadspeed analyze` and compares the result
# with the expected CSV beside it, byte for byte.
#
# The recording names its site file in a header comment,
#   # site-file: sites/villa-street.toml   (relative to tests/data/)
# gpiomon logs cannot carry comments: their arguments (site, first event
# time, chip) are in NAME.args beside them, one "--flag value" per line.
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

execute_process(COMMAND ${ROADSPEED} analyze ${args} --trace ${RECORDING} --out ${actual}
                WORKING_DIRECTORY ${data_dir}
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "roadspeed analyze failed (${status}): ${errors}")
endif()
if(NOT EXISTS ${expected})
  message(FATAL_ERROR "${expected} is missing: run scripts/regen-golden and review the diff")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${expected} ${actual} RESULT_VARIABLE differs)
if(differs)
  execute_process(COMMAND diff -u ${expected} ${actual} OUTPUT_VARIABLE diff_text)
  message(FATAL_ERROR "${name}: output differs from ${stem}.vehicles.csv\n${diff_text}")
endif()
