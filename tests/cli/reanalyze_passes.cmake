# roadspeed reanalyze of a radar site: a malformed or unknown pass row in
# the journal is one line, FILE:LINE: message, and changes nothing; so is
# a period the pass files do not cover.
set(work ${WORK_DIR}/reanalyze-passes)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work}/journal)
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)
configure_file(${DATA_DIR}/sites/radar-roadside.toml ${work}/site.toml COPYONLY)
execute_process(COMMAND ${ROADSPEED} import --db ${work}/db.sqlite --site ${work}/site.toml
                        --trace ${DATA_DIR}/radar-follower.trace.csv
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "import: ${status} ${out} ${err}")
endif()
file(WRITE ${work}/d.toml "site_file = \"site.toml\"\ndatabase = \"db.sqlite\"\n[journal]\ndir = \"journal\"\n")
execute_process(COMMAND sqlite3 ${work}/db.sqlite "SELECT * FROM vehicles; SELECT * FROM bins" OUTPUT_VARIABLE before)

set(head "# roadspeed-passes 1\n# site: radar-roadside-05\ntime_ns,radar,first_ns,blocks\n")
set(good "1764158401000000000,r1,1764158400500000000,0:8000000:2000:16 0:8000000:2001.5:16\n")
set(file ${work}/journal/passes-20251126T120001Z.passes.csv)
set(run reanalyze --config ${work}/d.toml --from 2025-11-26T13:00 --to 2025-11-26T13:15)

file(WRITE ${file} "${head}${good}1764158402000000000,r1,1764158401500000000,0:8000000:2000\n# journal end: 1764158460000000000\n")
expect_one_line_error(reanalyze_bad_pass
    "^[^ ]*passes-20251126T120001Z\\.passes\\.csv:5: bad block '0:8000000:2000' \\(gap_ns:span_ns:f_hz:vote\\)$" ${run})
file(WRITE ${file} "${head}${good}1764158402000000000,r7,1764158401500000000,0:8000000:2000:16\n# journal end: 1764158460000000000\n")
expect_one_line_error(reanalyze_unknown_radar "passes\\.csv:5: unknown radar 'r7' \\(not in the site file\\)$" ${run})
file(WRITE ${file} "${head}${good}# journal end: 1764158460000000000\n")
expect_one_line_error(reanalyze_passes_gap
    "^roadspeed: the journal does not cover 2025-11-26T12:00:00\\.000Z to 2025-11-26T12:00:01\\.000Z" ${run})

execute_process(COMMAND sqlite3 ${work}/db.sqlite "SELECT * FROM vehicles; SELECT * FROM bins" OUTPUT_VARIABLE after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "a refused reanalyze changed the database")
endif()
