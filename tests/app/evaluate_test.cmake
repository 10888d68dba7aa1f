execute_process(COMMAND ${LATENTWALK} evaluate-model --model ${MODEL} --n 10000 --json
                RESULT_VARIABLE rc OUTPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/evaluation.json ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "evaluate-model failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${PYTHON} ${CHECK} ${CMAKE_CURRENT_BINARY_DIR}/evaluation.json RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the default model misses its acceptance numbers")
endif()
