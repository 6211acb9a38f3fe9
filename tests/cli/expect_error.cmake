# roadspeed_expect_error(NAME EXPECTED OUTPUT ARG...): runs ${ROADSPEED} ARG...,
# which must fail with one line on stderr matching the regex EXPECTED and
# leave nothing at OUTPUT (nor OUTPUT.*, its temporary files).
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

function(roadspeed_expect_error name expected output)
  expect_one_line_error(${name} "${expected}" ${ARGN})
  file(GLOB left ${output} ${output}.*)
  if(left)
    message(FATAL_ERROR "${name}: output left behind: ${left}")
  endif()
endfunction()
