# Shared by the CLI error tests.

# expect_one_line_error(NAME REGEX ARGS...): `roadspeed ARGS` must exit
# non-zero with exactly one line on stderr, matching REGEX.
function(expect_one_line_error name expected)
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
endfunction()
