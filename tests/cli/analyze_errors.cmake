# roadspeed analyze on bad input: a non-zero exit status, one line on stderr
# naming the file and line, and no output file (nothing half-written).
set(work ${WORK_DIR}/analyze_errors)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
file(WRITE ${work}/bad.trace.csv
     "# roadspeed-trace 1\ntime_ns,input,level\n1764158400000000000,loop_a,1\n1764158400000000005,loop_x,1\n")

include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

function(expect_error name expected)
  expect_one_line_error(${name} "${expected}" analyze ${ARGN} --out ${work}/${name}.csv)
  file(GLOB left ${work}/${name}.csv*)
  if(left)
    message(FATAL_ERROR "${name}: output left behind: ${left}")
  endif()
endfunction()

expect_error(unknown_input "^[^ ]*bad\\.trace\\.csv:4: .*loop_x"
             --site ${DATA_DIR}/sites/villa-street.toml --trace ${work}/bad.trace.csv)
expect_error(missing_trace "nothing\\.csv"
             --site ${DATA_DIR}/sites/villa-street.toml --trace ${work}/nothing.csv)
file(WRITE ${work}/typo.toml "[site]\nid = \"x\"\nname = \"x\"\ntimezone = \"UTC\"\nspeed_limit_kmh = 30\nspeed_limt = 3\n")
expect_error(site_typo "^[^ ]*typo\\.toml:6: .*speed_limt"
             --site ${work}/typo.toml --trace ${work}/bad.trace.csv)
