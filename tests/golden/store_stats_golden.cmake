# Golden storage and statistics test: `roadspeed import` of a golden trace,
# then `roadspeed stats --format csv`, compared exactly with the expected
# file (tests/data/stats/). The import must commit every vehicle analyze finds.
include(${CMAKE_CURRENT_LIST_DIR}/golden_common.cmake)
set(work ${WORK_DIR}/store_stats)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

execute_process(COMMAND ${ROADSPEED} import --db ${work}/db.sqlite --site ${DATA_DIR}/sites/villa-street.toml
                        --trace ${DATA_DIR}/villa-hour.trace.csv
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "import failed (${status}): ${err}")
endif()
file(STRINGS ${DATA_DIR}/villa-hour.vehicles.csv rows)
list(LENGTH rows lines)
math(EXPR vehicles "${lines} - 1")
if(NOT out MATCHES "^committed ${vehicles} vehicles to ")
  message(FATAL_ERROR "import said '${out}', expected ${vehicles} vehicles committed")
endif()

execute_process(COMMAND ${ROADSPEED} stats --db ${work}/db.sqlite --from 2025-11-26T13:00 --to 2025-11-26T14:00
                        --group-by 15min --format csv
                OUTPUT_FILE ${work}/villa-hour.15min.csv RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "stats failed (${status}): ${err}")
endif()
require_same(${DATA_DIR}/stats/villa-hour.15min.csv ${work}/villa-hour.15min.csv
             "roadspeed stats differs from tests/data/stats/villa-hour.15min.csv")

# The same numbers from a backup, and as JSON.
execute_process(COMMAND ${ROADSPEED} backup --db ${work}/db.sqlite --out ${work}/copy.sqlite RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "backup failed (${status})")
endif()
execute_process(COMMAND ${ROADSPEED} stats --db ${work}/copy.sqlite --from 2025-11-26T13:00 --to 2025-11-26T14:00
                        --group-by 15min --format csv
                OUTPUT_FILE ${work}/copy.15min.csv RESULT_VARIABLE status)
require_same(${DATA_DIR}/stats/villa-hour.15min.csv ${work}/copy.15min.csv
             "stats from the backup differ from stats from the database")

execute_process(COMMAND ${ROADSPEED} stats --db ${work}/db.sqlite --from 2025-11-26T13:00 --to 2025-11-26T14:00
                        --group-by 15min --format json
                OUTPUT_VARIABLE json RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "stats --format json failed (${status})")
endif()
string(JSON groups LENGTH "${json}" groups)
if(NOT groups EQUAL 4)
  message(FATAL_ERROR "JSON: ${groups} groups, expected 4")
endif()
file(STRINGS ${DATA_DIR}/stats/villa-hour.15min.csv csv_rows)
math(EXPR last "${groups} - 1")
foreach(i RANGE ${last})
  math(EXPR row "${i} + 1")
  list(GET csv_rows ${row} csv_row)
  # A mark before each cell: CMake lists would drop the empty ones.
  string(REPLACE "," ";=" cells "=${csv_row}")
  list(GET cells 3 csv_volume)
  list(GET cells 19 csv_v85)
  string(SUBSTRING "${csv_volume}" 1 -1 csv_volume)
  string(SUBSTRING "${csv_v85}" 1 -1 csv_v85)
  string(JSON json_volume GET "${json}" groups ${i} volume)
  string(JSON json_v85 GET "${json}" groups ${i} v85_kmh)
  if(NOT json_volume STREQUAL csv_volume OR NOT json_v85 STREQUAL csv_v85)
    message(FATAL_ERROR "group ${i}: JSON volume ${json_volume}, V85 ${json_v85}; CSV ${csv_volume}, ${csv_v85}")
  endif()
endforeach()
