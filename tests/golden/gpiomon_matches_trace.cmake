# Proves the gpiomon path equal to the trace path: a gpiomon log converted
# from a trace (scripts/trace-to-gpiomon) must analyse to exactly what the
# trace's own first edges analyse to, as many edges as the log holds. The
# golden replay of the log alone only shows that its output does not change.
#
#   cmake -DROADSPEED=... -DLOG=NAME.gpiomon.log -DTRACE=SOURCE.trace.csv -DWORK_DIR=... -P this
include(${CMAKE_CURRENT_LIST_DIR}/golden_common.cmake)
get_filename_component(data_dir ${LOG} DIRECTORY)
get_filename_component(name ${LOG} NAME)
string(REGEX REPLACE "\\.gpiomon\\.log$" "" stem ${name})

file(STRINGS ${LOG}.args lines)
set(log_args)
foreach(line IN LISTS lines)
  separate_arguments(parts UNIX_COMMAND "${line}")
  list(APPEND log_args ${parts})
endforeach()
list(FIND log_args --site i)
if(i LESS 0)
  message(FATAL_ERROR "${LOG}.args has no --site line")
endif()
math(EXPR i "${i} + 1")
list(GET log_args ${i} site)

# The trace cut to the log's edges: one gpiomon event line per trace edge.
file(STRINGS ${LOG} events REGEX "[^ \t]")
list(LENGTH events edge_count)
file(STRINGS ${TRACE} edges REGEX "^[0-9]")
list(LENGTH edges trace_edge_count)
if(edge_count EQUAL 0 OR edge_count GREATER trace_edge_count)
  message(FATAL_ERROR "${name} has ${edge_count} edges, ${TRACE} ${trace_edge_count}")
endif()
list(SUBLIST edges 0 ${edge_count} cut_edges)
list(JOIN cut_edges "\n" body)
set(cut_trace ${WORK_DIR}/${stem}.cut.trace.csv)
file(WRITE ${cut_trace} "# roadspeed-trace 1\ntime_ns,input,level\n${body}\n")

set(from_log ${WORK_DIR}/${stem}.from-gpiomon.vehicles.csv)
set(from_trace ${WORK_DIR}/${stem}.from-trace.vehicles.csv)
run_analyze(${from_log} ${log_args} --trace ${LOG})
run_analyze(${from_trace} --site ${site} --trace ${cut_trace})

file(STRINGS ${from_trace} rows)
list(LENGTH rows row_count)
if(row_count LESS 2)
  message(FATAL_ERROR "${cut_trace} gives no vehicles: the comparison would prove nothing")
endif()
require_same(${from_trace} ${from_log} "${name} does not analyse like the first ${edge_count} edges of ${TRACE}")
