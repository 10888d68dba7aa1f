# The commands that failed on bad input in the cli.* tests must not have left their outputs, nor
# the temporary files those are written through. PATTERN (optional): outputs named by a glob,
# such as the folders a failed import would have written.
foreach(f never.npy never.png never.mp4)
  if(EXISTS ${DIR}/${f})
    message(FATAL_ERROR "a failed command left ${DIR}/${f} behind")
  endif()
endforeach()
file(GLOB temporaries ${DIR}/.never*)
if(temporaries)
  message(FATAL_ERROR "a failed command left temporary files behind: ${temporaries}")
endif()
if(PATTERN)
  file(GLOB outputs LIST_DIRECTORIES true ${DIR}/${PATTERN})
  if(outputs)
    message(FATAL_ERROR "a failed command left outputs behind: ${outputs}")
  endif()
endif()
