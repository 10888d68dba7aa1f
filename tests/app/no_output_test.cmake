# The commands that failed on bad input in the cli.* tests must not have left their outputs.
foreach(f never.npy never.png)
  if(EXISTS ${DIR}/${f})
    message(FATAL_ERROR "a failed command left ${DIR}/${f} behind")
  endif()
endforeach()
