# roadspeed import, backup and stats on bad input: a non-zero exit status and
# one clear line on stderr; a failed import stores nothing of a bad trace.
set(work ${WORK_DIR}/store_errors)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
file(WRITE ${work}/bad.trace.csv
     "# roadspeed-trace 1\ntime_ns,input,level\n1764158400000000000,loop_a,1\n1764158400000000005,loop_x,1\n")
set(site ${DATA_DIR}/sites/villa-street.toml)

include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)


expect_one_line_error(import_bad_trace "^[^ ]*bad\\.trace\\.csv:4: .*loop_x"
             import --db ${work}/a.db --site ${site} --trace ${work}/bad.trace.csv)
execute_process(COMMAND sqlite3 ${work}/a.db "SELECT count(*) FROM vehicles" OUTPUT_VARIABLE stored)
string(STRIP "${stored}" stored)
if(NOT stored STREQUAL "0")
  message(FATAL_ERROR "import_bad_trace: ${stored} vehicles stored from a bad trace")
endif()
expect_one_line_error(import_missing_trace "nothing\\.csv"
             import --db ${work}/a.db --site ${site} --trace ${work}/nothing.csv)
expect_one_line_error(import_db_in_missing_folder "no/such/folder/a\\.db.*cannot open"
             import --db ${work}/no/such/folder/a.db --site ${site} --trace ${DATA_DIR}/villa-hour.trace.csv)
file(WRITE ${work}/not-a-db.db "this is not a database, just text long enough to look like a file header........")
expect_one_line_error(import_not_a_database "not-a-db\\.db.*not a database"
             import --db ${work}/not-a-db.db --site ${site} --trace ${DATA_DIR}/villa-hour.trace.csv)
expect_one_line_error(backup_missing_db "nothing\\.db: no such database"
             backup --db ${work}/nothing.db --out ${work}/copy.db)
if(EXISTS ${work}/copy.db)
  message(FATAL_ERROR "backup_missing_db: a copy appeared")
endif()

# stats: a database to ask, then questions it cannot answer.
execute_process(COMMAND ${ROADSPEED} import --db ${work}/good.db --site ${site} --trace ${DATA_DIR}/villa-hour.trace.csv
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "import of villa-hour failed")
endif()
# The same period twice: refused on one line, nothing more stored; also a
# trace that starts before the stored one and runs into it.
execute_process(COMMAND sqlite3 ${work}/good.db "SELECT count(*) FROM vehicles" OUTPUT_VARIABLE before)
expect_one_line_error(import_same_trace_twice "villa-hour\\.trace\\.csv: nothing stored: its first edge is already in the database, from the import of .*villa-hour\\.trace\\.csv, .* vehicles"
             import --db ${work}/good.db --site ${site} --trace ${DATA_DIR}/villa-hour.trace.csv)
file(STRINGS ${DATA_DIR}/villa-hour.trace.csv villa REGEX "^[0-9]")
list(GET villa 0 first_edge)
string(REGEX MATCH "^[0-9]+" first_ns "${first_edge}")
math(EXPR early_ns "${first_ns} - 3600000000000")
file(READ ${DATA_DIR}/villa-hour.trace.csv villa_text)
string(REPLACE "time_ns,input,level\n" "time_ns,input,level\n${early_ns},loop_a,1\n${early_ns},loop_a,0\n" earlier_text "${villa_text}")
file(WRITE ${work}/earlier.trace.csv "${earlier_text}")
expect_one_line_error(import_runs_into_stored "earlier\\.trace\\.csv: stopped after 0 vehicles were committed: the next batch overlaps the import of"
             import --db ${work}/good.db --site ${site} --trace ${work}/earlier.trace.csv)
execute_process(COMMAND sqlite3 ${work}/good.db "SELECT count(*) FROM vehicles" OUTPUT_VARIABLE after)
if(NOT before STREQUAL after OR before STREQUAL "0\n")
  message(FATAL_ERROR "import twice: ${before} vehicles before, ${after} after")
endif()

set(ask stats --db ${work}/good.db --to 2025-11-27T00:00 --group-by hour)
expect_one_line_error(stats_skipped_hour "--from: '2025-03-30T02:30' does not exist in Europe/Stockholm"
             ${ask} --from 2025-03-30T02:30)
expect_one_line_error(stats_bad_time "--from: '2025-11-26 13' is not an ISO 8601 time" ${ask} --from "2025-11-26 13")
expect_one_line_error(stats_not_quarter "quarter hours" ${ask} --from 2025-11-26T13:10)
expect_one_line_error(stats_bad_class "--class: 'bus' is none of" ${ask} --from 2025-11-26 --class bus)
expect_one_line_error(stats_bad_detector "no detector 't7'" ${ask} --from 2025-11-26 --detector t7)
expect_one_line_error(stats_bad_group "--group-by: 'month' is none of"
             stats --db ${work}/good.db --from 2025-11-26 --to 2025-11-27 --group-by month)
expect_one_line_error(stats_missing_db "nothing\\.db: no such database"
             stats --db ${work}/nothing.db --from 2025-11-26 --to 2025-11-27 --group-by day)
expect_one_line_error(stats_not_roadspeed "not-a-db\\.db" stats --db ${work}/not-a-db.db --from 2025-11-26 --to 2025-11-27 --group-by day)
