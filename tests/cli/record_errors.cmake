# roadspeed record on a machine without the site's chip (or with bad
# options): a non-zero exit status, one line on stderr naming the input, the
# chip and the reason, and no trace file. The real GPIO path is scripts/vmtest.
set(work ${WORK_DIR}/record_errors)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
file(READ ${DATA_DIR}/sites/villa-street.toml site)
string(REPLACE "gpiochip0" "gpiochip99" site "${site}")
file(WRITE ${work}/absent-chip.toml "${site}")

function(expect_error name expected)
  execute_process(COMMAND ${ROADSPEED} record ${ARGN} --out ${work}/${name}.trace.csv
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(status EQUAL 0)
    message(FATAL_ERROR "${name}: exit status 0")
  endif()
  string(STRIP "${err}" err)
  string(FIND "${err}" "\n" newline)
  if(NOT newline EQUAL -1)
    message(FATAL_ERROR "${name}: error is not one line:\n${err}")
  endif()
  if(NOT err MATCHES "${expected}")
    message(FATAL_ERROR "${name}: error '${err}' does not match '${expected}'")
  endif()
  if(EXISTS ${work}/${name}.trace.csv)
    message(FATAL_ERROR "${name}: a trace file was created")
  endif()
endfunction()

expect_error(absent_chip "^roadspeed: input loop_a: cannot open /dev/gpiochip99: No such file or directory$"
             --site ${work}/absent-chip.toml)
expect_error(unknown_backend "unknown GPIO back-end 'libgpiod9' \\(known: libgpiod1\\)"
             --site ${work}/absent-chip.toml --backend libgpiod9)
expect_error(zero_count "--count must be at least 1" --site ${work}/absent-chip.toml --count 0)
expect_error(bad_seconds "--seconds must be above 0" --site ${work}/absent-chip.toml --seconds -1)
