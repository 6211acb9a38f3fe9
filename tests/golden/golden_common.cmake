# Shared by the golden replay scripts: running analyze and comparing outputs.

# run_analyze(OUT ARGS...): roadspeed analyze ARGS --out OUT in the data
# folder; any failure ends the test with analyze's own message.
function(run_analyze out)
  execute_process(COMMAND ${ROADSPEED} analyze ${ARGN} --out ${out}
                  WORKING_DIRECTORY ${data_dir}
                  RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "roadspeed analyze ${ARGN} failed (${status}): ${errors}")
  endif()
endfunction()

# require_same(EXPECTED ACTUAL WHAT): byte-for-byte equal, or fail with the diff.
function(require_same expected actual what)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${expected} ${actual} RESULT_VARIABLE differs)
  if(differs)
    execute_process(COMMAND diff -u ${expected} ${actual} OUTPUT_VARIABLE diff_text)
    message(FATAL_ERROR "${what}\n${diff_text}")
  endif()
endfunction()
