# roadspeed_expect_error(NAME EXPECTED OUTPUT ARG...): runs ${ROADSPEED} ARG...,
# which must fail with one line on stderr matching the regex EXPECTED and
# leave nothing at OUTPUT (nor OUTPUT.*, its temporary files).
function(roadspeed_expect_error name expected output)
  execute_process(COMMAND ${ROADSPEED} ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(status EQUAL 0)
    message(FATAL_ERROR "${name}: exit status 0 on bad input")
  endif()
  string(STRIP "${err}" err)
  string(FIND "${err}" "\n" newline)
  if(NOT newline EQUAL -1)
    message(FATAL_ERROR "${name}: error is not one line:\n${err}")
  endif()
  if(NOT err MATCHES "${expected}")
    message(FATAL_ERROR "${name}: error '${err}' does not match '${expected}'")
  endif()
  file(GLOB left ${output} ${output}.*)
  if(left)
    message(FATAL_ERROR "${name}: output left behind: ${left}")
  endif()
endfunction()
