# roadspeed record on a machine without the site's chip (or with bad
# options): a non-zero exit status, one line on stderr naming the input, the
# chip and the reason, and no trace file. The real GPIO path is scripts/vmtest.
set(work ${WORK_DIR}/record_errors)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
file(READ ${DATA_DIR}/sites/villa-street.toml site)
string(REPLACE "gpiochip0" "gpiochip99" site "${site}")
file(WRITE ${work}/absent-chip.toml "${site}")

include(${CMAKE_CURRENT_LIST_DIR}/expect_error.cmake)
function(expect_error name expected)
  roadspeed_expect_error(${name} "${expected}" ${work}/${name}.trace.csv record ${ARGN} --out ${work}/${name}.trace.csv)
endfunction()

expect_error(absent_chip "^roadspeed: input loop_a: cannot open /dev/gpiochip99: No such file or directory$"
             --site ${work}/absent-chip.toml)
expect_error(unknown_backend "unknown GPIO back-end 'libgpiod9' \\(known: libgpiod1\\)"
             --site ${work}/absent-chip.toml --backend libgpiod9)
expect_error(zero_count "--count must be at least 1" --site ${work}/absent-chip.toml --count 0)
expect_error(bad_seconds "--seconds must be above 0" --site ${work}/absent-chip.toml --seconds -1)
