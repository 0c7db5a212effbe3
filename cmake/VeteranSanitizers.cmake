# veteran_apply_sanitizers(target): ASan + UBSan when VETERAN_SANITIZE is on,
# ThreadSanitizer when VETERAN_TSAN is on (the two cannot be combined).
# Sanitizer reports are fatal so they fail the test that caused them.
function(veteran_apply_sanitizers target)
  if(VETERAN_SANITIZE AND VETERAN_TSAN)
    message(FATAL_ERROR "VETERAN_SANITIZE and VETERAN_TSAN cannot be combined")
  endif()
  if(VETERAN_SANITIZE)
    set(_flags -fsanitize=address,undefined -fno-sanitize-recover=all
               -fno-omit-frame-pointer)
  elseif(VETERAN_TSAN)
    set(_flags -fsanitize=thread -fno-omit-frame-pointer)
  else()
    return()
  endif()
  target_compile_options(${target} PRIVATE ${_flags})
  target_link_options(${target} PRIVATE ${_flags})
endfunction()
