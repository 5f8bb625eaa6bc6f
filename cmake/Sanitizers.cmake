# HCCL_CPU_SANITIZER=address builds everything with AddressSanitizer + UndefinedBehaviorSanitizer,
# HCCL_CPU_SANITIZER=thread with ThreadSanitizer. Any report aborts the process, so it fails its test.
if(HCCL_CPU_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
elseif(HCCL_CPU_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT HCCL_CPU_SANITIZER STREQUAL "")
  message(FATAL_ERROR "HCCL_CPU_SANITIZER must be '', 'address' or 'thread'")
endif()
