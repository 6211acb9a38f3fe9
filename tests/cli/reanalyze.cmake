# roadspeed reanalyze without the daemon: a database imported from a trace
# and a journal folder of two closed files with a ten-minute gap between
# them (a file deleted). Bad input is one line and changes nothing; a gap
# is refused unless --allow-gaps, which replaces only the bins the journal
# covers whole.
set(work ${WORK_DIR}/reanalyze)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work}/journal)
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)
configure_file(${DATA_DIR}/sites/villa-street.toml ${work}/site.toml COPYONLY)

# A car every 30 s at 30 km/h from 12:00:00Z (13:00 local) for an hour.
set(t0 1764158400000000000)
set(header "# roadspeed-trace 1\n# site: villa-street-01\ntime_ns,input,level\n")
set(all "${header}")
set(first "${header}")
set(second "${header}")
foreach(i RANGE 0 119)
  math(EXPR a_on "${t0} + ${i} * 30000000000")
  math(EXPR b_on "${a_on} + 360000000")
  math(EXPR a_off "${a_on} + 600000000")
  math(EXPR b_off "${a_on} + 960000000")
  set(rows "${a_on},loop_a,1\n${b_on},loop_b,1\n${a_off},loop_a,0\n${b_off},loop_b,0\n")
  string(APPEND all "${rows}")
  if(i LESS 50)
    string(APPEND first "${rows}")
  elseif(i GREATER_EQUAL 70)
    string(APPEND second "${rows}")
  endif()
endforeach()
math(EXPR first_end "${t0} + 25 * 60000000000")
math(EXPR second_end "${t0} + 60 * 60000000000")
file(WRITE ${work}/hour.trace.csv "${all}")
file(WRITE ${work}/journal/edges-20251126T120000Z.trace.csv "${first}# journal end: ${first_end}\n")
file(WRITE ${work}/journal/edges-20251126T123500Z.trace.csv "${second}# journal end: ${second_end}\n")
file(WRITE ${work}/d.toml "site_file = \"site.toml\"\ndatabase = \"db.sqlite\"\n[journal]\ndir = \"journal\"\n")

execute_process(COMMAND ${ROADSPEED} import --db ${work}/db.sqlite --site ${work}/site.toml --trace ${work}/hour.trace.csv
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT out MATCHES "committed 120 vehicles")
  message(FATAL_ERROR "import: ${status} ${out} ${err}")
endif()

function(dump_db into)
  execute_process(COMMAND sqlite3 ${work}/db.sqlite
                  "SELECT rowid, * FROM vehicles ORDER BY rowid; SELECT bin_start_s, detector_row, direction, class, vehicles, sum_kmh, hex(histogram) FROM bins ORDER BY 1, 2, 3, 4; SELECT * FROM site_versions; SELECT * FROM health_events"
                  OUTPUT_VARIABLE dump RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "sqlite3 failed")
  endif()
  set(${into} "${dump}" PARENT_SCOPE)
endfunction()
dump_db(before)

set(run reanalyze --config ${work}/d.toml)
set(hour --from 2025-11-26T13:00 --to 2025-11-26T14:00)
file(WRITE ${work}/bad.toml "site_file = \"site.toml\"\ndatabse = \"db.sqlite\"\n")
expect_one_line_error(reanalyze_bad_config "^[^ ]*bad\\.toml:2: unknown key 'databse'$"
                      reanalyze --config ${work}/bad.toml ${hour})
expect_one_line_error(reanalyze_bad_time "--from: '2025-11-26 13' is not an ISO 8601 time"
                      ${run} --from "2025-11-26 13" --to 2025-11-26T14:00)
expect_one_line_error(reanalyze_empty_period "--from 2025-11-26T14:00 is not before --to 2025-11-26T13:00"
                      ${run} --from 2025-11-26T14:00 --to 2025-11-26T13:00)
file(WRITE ${work}/no-db.toml "site_file = \"site.toml\"\ndatabase = \"nothing.db\"\n[journal]\ndir = \"journal\"\n")
expect_one_line_error(reanalyze_missing_db "nothing\\.db: no such database" reanalyze --config ${work}/no-db.toml ${hour})
file(WRITE ${work}/no-journal.toml "site_file = \"site.toml\"\ndatabase = \"db.sqlite\"\n[journal]\ndir = \"gone\"\n")
expect_one_line_error(reanalyze_missing_journal "gone: no such journal folder"
                      reanalyze --config ${work}/no-journal.toml ${hour})
expect_one_line_error(reanalyze_gap
    "^roadspeed: the journal does not cover 2025-11-26T12:25:00\\.000Z to 2025-11-26T12:35:00\\.000Z; nothing changed"
    ${run} ${hour})
expect_one_line_error(reanalyze_before_journal "does not cover 2025-11-26T11:45:00\\.000Z to 2025-11-26T12:00:00\\.000Z"
                      ${run} --from 2025-11-26T12:45 --to 2025-11-26T13:15)
# The file a running daemon writes has no end mark yet: the period must end
# five minutes (the lead-out) before it begins.
file(WRITE ${work}/journal/edges-20251126T130000Z.trace.csv "${header}")
expect_one_line_error(reanalyze_open_file "the period must end by 2025-11-26T12:55:00\\.000Z: edges-20251126T130000Z\\.trace\\.csv is still open"
                      ${run} ${hour} --allow-gaps)
dump_db(after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "a refused reanalysis changed the database")
endif()

# --allow-gaps: of 13:00 to 14:00 local, the bins 13:00 and 13:45 are
# covered whole; 13:15 and 13:30 keep what they held.
file(REMOVE ${work}/journal/edges-20251126T130000Z.trace.csv)
execute_process(COMMAND sqlite3 ${work}/db.sqlite "SELECT rowid, * FROM vehicles WHERE t_ns >= 1764159300000000000 AND t_ns < 1764160200000000000 ORDER BY rowid"
                OUTPUT_VARIABLE kept_before)
execute_process(COMMAND ${ROADSPEED} ${run} ${hour} --allow-gaps
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "reanalyze --allow-gaps failed: ${err}")
endif()
if(NOT out MATCHES "\\(2 bins\\)" OR NOT out MATCHES "\nt1: 60 vehicles removed, 60 stored\n")
  message(FATAL_ERROR "reanalyze --allow-gaps said:\n${out}")
endif()
if(NOT err STREQUAL "roadspeed: reanalyze: 2 bins with journal gaps kept as they were (--allow-gaps)\n")
  message(FATAL_ERROR "reanalyze --allow-gaps notes:\n${err}")
endif()
execute_process(COMMAND sqlite3 ${work}/db.sqlite "SELECT rowid, * FROM vehicles WHERE t_ns >= 1764159300000000000 AND t_ns < 1764160200000000000 ORDER BY rowid"
                OUTPUT_VARIABLE kept_after)
if(NOT kept_before STREQUAL kept_after OR kept_before STREQUAL "")
  message(FATAL_ERROR "the bins with gaps changed")
endif()
execute_process(COMMAND sqlite3 ${work}/db.sqlite "SELECT count(*), sum(vehicles) FROM bins" OUTPUT_VARIABLE binned)
if(NOT binned STREQUAL "4|120\n")
  message(FATAL_ERROR "bins after --allow-gaps: ${binned}")
endif()
