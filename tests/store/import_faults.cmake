# roadspeed import stores the sensor faults a trace shows: a loop held
# active for five minutes is a stuck_active span on its trap,
# and the coverage marks those minutes as faulty.
set(work ${WORK_DIR}/import_faults)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
set(t0 1764158400000000000)
set(trace "# roadspeed-trace 1\n# loop_a stuck from t0 to t0 + 300 s; loop_b sees traffic\ntime_ns,input,level\n${t0},loop_a,1\n")
foreach(i RANGE 1 59)
  math(EXPR on "${t0} + ${i} * 5000000000")
  math(EXPR off "${on} + 400000000")
  string(APPEND trace "${on},loop_b,1\n${off},loop_b,0\n")
endforeach()
math(EXPR release "${t0} + 300000000000")
string(APPEND trace "${release},loop_a,0\n")
file(WRITE ${work}/stuck.trace.csv "${trace}")

execute_process(COMMAND ${ROADSPEED} import --db ${work}/s.db --site ${DATA_DIR}/sites/villa-street.toml
                        --trace ${work}/stuck.trace.csv
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "import failed: ${err}")
endif()
execute_process(COMMAND sqlite3 ${work}/s.db
                "SELECT reason || ' ' || (end_ns - start_ns) FROM fault_spans"
                OUTPUT_VARIABLE spans)
string(STRIP "${spans}" spans)
if(NOT spans STREQUAL "loop_a stuck_active 300000000000")
  message(FATAL_ERROR "fault spans: '${spans}', expected one stuck_active span of 300 s")
endif()
execute_process(COMMAND sqlite3 ${work}/s.db "SELECT sum(fault_ms) FROM coverage" OUTPUT_VARIABLE fault_ms)
string(STRIP "${fault_ms}" fault_ms)
if(NOT fault_ms STREQUAL "300000")
  message(FATAL_ERROR "coverage: ${fault_ms} ms faulty, expected 300000")
endif()
