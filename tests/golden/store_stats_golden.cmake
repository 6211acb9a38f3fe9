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
