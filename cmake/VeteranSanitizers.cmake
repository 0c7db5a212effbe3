# veteran_apply_sanitizers(target): ASan + UBSan when VETERAN_SANITIZE is on.
# UBSan is made fatal so a sanitizer report fails the test that caused it.
function(veteran_apply_sanitizers target)
  if(VETERAN_SANITIZE)
    set(_flags -fsanitize=address,undefined -fno-sanitize-recover=all
               -fno-omit-frame-pointer)
    target_compile_options(${target} PRIVATE ${_flags})
    target_link_options(${target} PRIVATE ${_flags})
  endif()
endfunction()
